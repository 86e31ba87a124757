using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>MIT kinit/kvno/klist/ktutil run against a <see cref="CloudKdcProcess"/> with a private config and cache.</summary>
internal sealed class MitClient : IDisposable
{
    private readonly Dictionary<string, string> environment;

    public MitClient(CloudKdcProcess server, string tenant = CloudKdcProcess.DemoTenantId, string? kdc = null)
    {
        MitTools.RequireInstalled("kinit", "klist", "kvno", "ktutil");
        Directory = Path.Combine(server.Directory, "client-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        ConfigPath = server.WriteClientConfig(Directory, tenant, kdc);
        environment = new Dictionary<string, string>
        {
            ["KRB5_CONFIG"] = ConfigPath,
            ["KRB5CCNAME"] = "FILE:" + CachePath,
            ["KRB5_KTNAME"] = "FILE:" + Path.Combine(Directory, "default.keytab"),
            ["LC_ALL"] = "C",
            ["TZ"] = "UTC",
        };
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string CachePath => Path.Combine(Directory, "ccache");

    public IReadOnlyDictionary<string, string> Environment => environment;

    public Task<ProcessResult> RunAsync(string tool, IEnumerable<string> args, string? stdin = null) =>
        MitTools.RunAsync(tool, args, environment, stdin);

    public Task<ProcessResult> KinitAsync(string password, params string[] args) => RunAsync("kinit", args, password + "\n");

    /// <summary>Builds a keytab the way an administrator would: MIT ktutil from the service password.</summary>
    public async Task<string> KtutilKeytabAsync(string principal, string password, uint kvno, string enctype = "aes256-cts-hmac-sha1-96")
    {
        var path = Path.Combine(Directory, "service.keytab");
        var result = await RunAsync("ktutil", [], $"addent -password -p {principal} -k {kvno} -e {enctype}\n{password}\nwkt {path}\nquit\n");
        Assert.True(File.Exists(path), "ktutil did not write the keytab:\n" + result.Output);
        return path;
    }

    public void Dispose()
    {
        // The server's directory, which holds this one, is removed with the server.
    }
}
