using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Server.Admin;
using KerberosCloudKdc.Server.Hosting;
using KerberosCloudKdc.Server.Tls;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>
/// The cloudkdc command line. Without a command (or with only host arguments such as --urls or --CloudKdc:X=Y) the
/// executable runs the server as always; "serve" says so explicitly. Every other command acts on a directory, online
/// through a running server's admin API (--url + --api-key) or offline on a data directory (--data-dir).
/// Exit codes: 0 success, 1 failure, 2 usage.
/// </summary>
internal static class CloudKdcCli
{
    public const string UrlVariable = "CLOUDKDC_URL";
    public const string ApiKeyVariable = "CLOUDKDC_API_KEY";

    private static readonly string[] Commands =
        ["serve", "tenant", "user", "group", "sp", "storage-account", "keytab", "krb5conf", "gpo", "krbtgt", "signins", "cloudtrust", "device", "login"];

    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "/?", "--version"];

    private static readonly string[] ValuelessOptions = ["--json", "--password-stdin", "--register", "--password-grant", "--show-keys"];

    /// <summary>
    /// Decides between the server and the CLI: the first token that is neither an option nor an option's value picks a
    /// command; none means "run the server" (host arguments such as --urls X or --CloudKdc:Store=memory pass through).
    /// </summary>
    public static (bool IsCli, string[] HostArguments) Route(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (HelpTokens.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                return (true, []);
            }

            if (token.StartsWith('-'))
            {
                if (!token.Contains('=', StringComparison.Ordinal) && !ValuelessOptions.Contains(token, StringComparer.OrdinalIgnoreCase))
                {
                    i++;
                }

                continue;
            }

            if (string.Equals(token, "serve", StringComparison.Ordinal))
            {
                return (false, [.. args[..i], .. args[(i + 1)..]]);
            }

            return (Commands.Contains(token, StringComparer.Ordinal), args);
        }

        return (false, args);
    }

    /// <summary>Runs a CLI command; <paramref name="output"/> gets results, <paramref name="error"/> messages.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, Console.In, cancellationToken);

    /// <summary>As above with <paramref name="input"/> as standard input (login --password-stdin reads it).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = new CliCommands(output, error, input).Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("cloudkdc: " + parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'cloudkdc --help' (or 'cloudkdc COMMAND --help') for usage.").ConfigureAwait(false);
            return CliExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A password a person can type, strong enough for any policy: 20 characters from letters, digits and a few symbols.</summary>
    public static string NewPassword()
    {
        const string letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        const string symbols = "-_.!#%+";
        var chars = RandomNumberGenerator.GetString(letters + digits + symbols, 17)
            + RandomNumberGenerator.GetString(digits, 1) + RandomNumberGenerator.GetString(symbols, 1) + RandomNumberGenerator.GetString(letters, 1);
        var array = chars.ToCharArray();
        RandomNumberGenerator.Shuffle(array.AsSpan());
        return new string(array);
    }

    /// <summary>The data directory the server would use: CLOUDKDC_DataDirectory when set, else its default.</summary>
    public static string DefaultDataDirectory() =>
        new CloudKdcOptions { DataDirectory = Variable(CloudKdcApp.EnvironmentPrefix + "DataDirectory") }.ResolvedDataDirectory;

    public static string? Variable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var value = Environment.GetEnvironmentVariable(name) ?? Environment.GetEnvironmentVariable(name.ToUpperInvariant());
        return value is { Length: > 0 } ? value : null;
    }

    /// <summary>The lab CA file of a data directory, if the server has made one.</summary>
    public static string? LabCaFile(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "tls", LabCertificateAuthority.CaCertificateFile);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The admin key the server of a data directory generated, if readable.</summary>
    public static string? ApiKeyFile(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, AdminApiKey.FileName);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } key ? key : null : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
