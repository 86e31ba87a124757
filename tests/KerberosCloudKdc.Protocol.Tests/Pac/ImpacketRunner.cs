using System.Diagnostics;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

/// <summary>
/// Runs one of the Scripts/ helpers under Debian's python with impacket. A missing interpreter or
/// library fails the test with instructions: a skipped interop test proves nothing.
/// </summary>
internal static class ImpacketRunner
{
    private const string Python = "/usr/bin/python3";

    public static string Run(string script, string stdin)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: install python3 and python3-impacket (apt-get install python3-impacket).");
        }

        var probe = Execute("-c \"import impacket.krb5.pac, impacket.krb5.crypto\"", string.Empty);
        if (probe.ExitCode != 0)
        {
            Assert.Fail($"impacket is not importable by {Python}: install python3-impacket. {probe.Error}");
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Scripts", script);
        Assert.True(File.Exists(path), $"Script not copied to the output directory: {path}");
        var result = Execute($"\"{path}\"", stdin);
        Assert.True(result.ExitCode == 0, $"{script} failed ({result.ExitCode}): {result.Error}");
        return result.Output;
    }

    private static (int ExitCode, string Output, string Error) Execute(string arguments, string stdin)
    {
        var start = new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start python.");
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail("python did not finish within 60 s.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
