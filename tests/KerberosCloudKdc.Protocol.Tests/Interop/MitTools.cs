using System.Diagnostics;
using System.Text;

namespace KerberosCloudKdc.Protocol.Tests.Interop;

/// <summary>What a finished external tool left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Both streams, for assertion messages: MIT tools split their diagnostics unpredictably.</summary>
    public string Output => StdOut + StdErr;
}

/// <summary>Finds and runs the MIT Kerberos command-line tools.</summary>
public static class MitTools
{
    // kdb5_util, krb5kdc and kadmin.local live in sbin, which a test runner's PATH may not contain.
    private static readonly string[] ExtraSearchDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Fails (never skips) when a tool is missing, so a machine without MIT cannot pass interop tests silently.</summary>
    public static void RequireInstalled(params string[] tools)
    {
        foreach (var tool in tools)
        {
            if (TryResolve(tool) is null)
            {
                throw new InvalidOperationException(
                    $"MIT Kerberos tool '{tool}' not found: install krb5-user krb5-kdc (./test.sh installs them)");
            }
        }
    }

    /// <summary>The absolute path of a tool, or null. Rooted names are taken as they are.</summary>
    public static string? TryResolve(string tool)
    {
        if (Path.IsPathRooted(tool))
        {
            return File.Exists(tool) ? tool : null;
        }

        var pathDirectories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in pathDirectories.Concat(ExtraSearchDirectories))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs a tool to completion and captures its output. Variables in <paramref name="env"/> with
    /// an empty value are removed from the child's environment rather than set to "".
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        RequireInstalled(fileName);
        var startInfo = new ProcessStartInfo(TryResolve(fileName)!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        ApplyEnvironment(startInfo, env);

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();

        // Tools such as kinit read the password from stdin; closing it keeps them from waiting forever.
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        process.StandardInput.Close();

        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw new TimeoutException($"'{fileName}' did not finish within {limit.TotalSeconds} s and was killed.");
        }

        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        return new ProcessResult(process.ExitCode, stdout, stderr);
    }

    internal static void ApplyEnvironment(ProcessStartInfo startInfo, IReadOnlyDictionary<string, string>? env)
    {
        if (env is null)
        {
            return;
        }

        foreach (var (name, value) in env)
        {
            if (string.IsNullOrEmpty(value))
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }
    }
}
