using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Hosting;
using KerberosCloudKdc.Server.Listeners;
using KerberosCloudKdc.Server.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KerberosCloudKdc.Server.Tests;

/// <summary>The real host on Kestrel (TLS with the generated lab certificate) and the raw TCP listener, on loopback ports.</summary>
public sealed class RealKestrelTests : IAsyncLifetime
{
    private readonly FakeEngine engine = new();
    private readonly string dataDirectory = TestData.TempDirectory();
    private WebApplication app = null!;
    private Uri baseAddress = null!;
    private X509Certificate2 ca = null!;

    public async Task InitializeAsync()
    {
        app = await CloudKdcApp.BuildAsync(
            [
                "--urls", "https://127.0.0.1:0",
                $"--CloudKdc:DataDirectory={dataDirectory}",
                "--CloudKdc:PrintBanner=false",
                "--CloudKdc:TcpPort=0",
                "--CloudKdc:MaxRequestBytes=4096",
                "--Serilog:MinimumLevel:Default=Warning",
            ],
            builder =>
            {
                builder.Services.AddSingleton<IKdcEngine>(engine);
                builder.Services.AddSingleton<IDirectoryAdminStore>(new InMemoryDirectoryStore());
            });
        CloudKdcApp.ValidateAtStart(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseAddress = new Uri(address);
        ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDirectory, "tls", LabCertificateAuthority.CaCertificateFile));
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        ca.Dispose();
    }

    private async Task<SslStream> ConnectTlsAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, baseAddress.Port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 leaf && chain.Build(leaf);
        });
        await ssl.AuthenticateAsClientAsync("127.0.0.1");
        return ssl;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, timeout.Token); // returns only when the server closes the connection
        return buffer.ToArray();
    }

    [Fact]
    public async Task Mit_style_http10_request_gets_a_complete_response_and_the_connection_closes()
    {
        var body = TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed);
        var head = $"POST /{DemoSeed.TenantId}/kerberos HTTP/1.0\r\nHost: 127.0.0.1\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n" +
            $"User-Agent: kerberos/1.0\r\nContent-type: application/kerberos\r\nContent-Length: {body.Length}\r\n\r\n";
        await using var ssl = await ConnectTlsAsync();
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray());
        var response = await ReadToEndAsync(ssl);

        var split = IndexOf(response, "\r\n\r\n"u8.ToArray());
        Assert.True(split > 0);
        var headers = Encoding.ASCII.GetString(response, 0, split);
        Assert.StartsWith("HTTP/1.1 200", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("chunked", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Type: application/kerberos", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-ms-request-id:", headers, StringComparison.OrdinalIgnoreCase);
        var reply = KdcProxyMessage.Decode(response.AsMemory(split + 4));
        Assert.Equal(TcpFraming.Frame(FakeEngine.Reply), reply.KerbMessage.ToArray());
    }

    [Fact]
    public async Task Chunked_request_without_content_length_is_411()
    {
        await using var ssl = await ConnectTlsAsync();
        var request = $"POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = Encoding.ASCII.GetString(await ReadToEndAsync(ssl));
        Assert.StartsWith("HTTP/1.1 411", response, StringComparison.Ordinal);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Content_length_over_the_cap_is_413()
    {
        await using var ssl = await ConnectTlsAsync();
        await ssl.WriteAsync(Encoding.ASCII.GetBytes("POST /KdcProxy HTTP/1.0\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
        var response = Encoding.ASCII.GetString(await ReadToEndAsync(ssl));
        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_listener_round_trips_framed_messages()
    {
        var endpoint = await app.Services.GetRequiredService<TcpKdcListener>().BoundEndpoint;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        var stream = tcp.GetStream();
        for (var i = 0; i < 2; i++)
        {
            await stream.WriteAsync(TcpFraming.Frame(TestData.AsReq));
            var reply = await ReadFrameAsync(stream);
            Assert.Equal(FakeEngine.Reply, reply);
        }

        Assert.Equal(2, engine.Calls.Count);
        Assert.All(engine.Calls, c => Assert.Equal(Guid.Parse(DemoSeed.TenantId), c.Context.Tenant.Id));
    }

    [Fact]
    public async Task Tcp_listener_refuses_an_oversize_length_and_closes()
    {
        var endpoint = await app.Services.GetRequiredService<TcpKdcListener>().BoundEndpoint;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        var stream = tcp.GetStream();
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, 5000); // cap is 4096 in this host
        await stream.WriteAsync(prefix);
        var error = KrbError.Decode(await ReadFrameAsync(stream));
        Assert.Equal(KerberosErrorCode.KRB_ERR_FIELD_TOOLONG, error.ErrorCode);
        Assert.Equal(0, await stream.ReadAsync(new byte[1]));
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public void Public_origin_defaults_to_the_https_listening_address()
    {
        var origin = app.Services.GetRequiredService<PublicOrigin>().FromServer();
        Assert.Equal($"https://127.0.0.1:{baseAddress.Port}", origin);
    }

    private static async Task<byte[]> ReadFrameAsync(Stream stream)
    {
        var prefix = new byte[4];
        await stream.ReadExactlyAsync(prefix);
        var message = new byte[TcpFraming.ReadLength(prefix)];
        await stream.ReadExactlyAsync(message);
        return message;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
