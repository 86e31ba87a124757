using System.Text;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The password, never from the command line (it would show in ps and shell history): the first line of stdin with
/// --password-stdin, else CLOUDKDC_PASSWORD, else a prompt on the terminal that does not echo.
/// </summary>
internal static class PasswordSource
{
    public const string Variable = "CLOUDKDC_PASSWORD";

    public static async Task<string> ReadAsync(bool fromStdin, TextReader input, TextWriter prompt, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(prompt);
        if (fromStdin)
        {
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return line is { Length: > 0 } ? line : throw new LoginException("--password-stdin: no password on standard input");
        }

        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (Console.IsInputRedirected)
        {
            throw new LoginException($"no password: use --password-stdin or ${Variable}, or run on a terminal");
        }

        await prompt.WriteAsync($"Password for {user}: ").ConfigureAwait(false);
        await prompt.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Console has no asynchronous key reading; a thread-pool wait keeps the caller's flow asynchronous.
        var password = await Task.Run(ReadHidden, cancellationToken).ConfigureAwait(false);
        await prompt.WriteLineAsync().ConfigureAwait(false);
        return password.Length > 0 ? password : throw new LoginException("no password given");
    }

    private static string ReadHidden()
    {
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
