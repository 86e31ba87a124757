using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

/// <summary>
/// Runs one of the Scripts/ helpers under Debian's python with impacket. A missing interpreter or
/// library fails the test with instructions: a skipped interop test proves nothing.
/// </summary>
internal static class ImpacketRunner
{
    private const string Python = "/usr/bin/python3";

    private static readonly Dictionary<string, string> Environment = new() { ["PYTHONIOENCODING"] = "utf-8" };

    public static async Task<string> RunAsync(string script, string stdin)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: install python3 and python3-impacket (apt-get install python3-impacket).");
        }

        var probe = await MitTools.RunAsync(Python, ["-c", "import impacket.krb5.pac, impacket.krb5.crypto"], Environment);
        if (probe.ExitCode != 0)
        {
            Assert.Fail($"impacket is not importable by {Python}: install python3-impacket. {probe.StdErr}");
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Scripts", script);
        Assert.True(File.Exists(path), $"Script not copied to the output directory: {path}");
        var result = await MitTools.RunAsync(Python, [path], Environment, stdin, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{script} failed ({result.ExitCode}): {result.StdErr}");
        return result.StdOut;
    }
}
