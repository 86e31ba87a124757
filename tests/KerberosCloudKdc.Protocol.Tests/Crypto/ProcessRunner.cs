using System.Diagnostics;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>Runs an external tool with scripted stdin; used to cross-check against MIT Kerberos.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Finds an executable on PATH, or fails the test with an install hint (a missing tool must not pass silently).</summary>
    public static string RequireTool(string name, string package)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        foreach (string directory in (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{name}' was not found on PATH. Install the MIT Kerberos client tools ({package}, e.g. 'sudo apt-get install {package}') to run the MIT cross-check.");
        return name;
    }

    public static Result Run(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput,
        IReadOnlyDictionary<string, string>? environment = null,
        int timeoutMilliseconds = 60_000)
    {
        ProcessStartInfo start = new(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> pair in environment)
            {
                start.Environment[pair.Key] = pair.Value;
            }
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} did not finish within {timeoutMilliseconds} ms.");
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
