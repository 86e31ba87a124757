using System.Net;
using System.Net.Sockets;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>MIT kinit and kvno over the optional raw TCP listener (RFC 4120 §7.2.2), the same engine as the proxy.</summary>
public sealed class RawTcpInteropTests : IAsyncLifetime
{
    private readonly int tcpPort = FreePort();
    private CloudKdcProcess? server;

    public async Task InitializeAsync() => server = await CloudKdcProcess.StartAsync([$"--CloudKdc:TcpPort={tcpPort}"]);

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Kinit_and_kvno_work_over_raw_tcp()
    {
        using var client = new MitClient(server!, kdc: $"127.0.0.1:{tcpPort}");

        var kinit = await client.KinitAsync(DemoTenant.AlicePassword, "alice");
        var kvno = await client.RunAsync("kvno", [DemoTenant.CifsSpn]);

        Assert.True(kinit.ExitCode == 0, kinit.Output + server!.Output);
        Assert.True(kvno.ExitCode == 0, kvno.Output + server.Output);
        Assert.Contains("type=AsReq", server.Output);
        Assert.Contains("KDC tcp", server.Output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
