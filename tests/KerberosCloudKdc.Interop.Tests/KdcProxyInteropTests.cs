using System.Net;
using System.Text.Json;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// Real MIT clients (kinit, kvno, klist, ktutil with the k5tls HTTPS transport), python-gssapi and impacket
/// against the real server process through the MS-KKDCP endpoint: the product's core promise.
/// </summary>
public sealed class KdcProxyInteropTests(CloudKdcFixture fixture) : IClassFixture<CloudKdcFixture>
{
    private const string Python = "/usr/bin/python3";

    private CloudKdcProcess Server => fixture.Server;

    [Fact]
    public async Task Kinit_with_a_password_gets_a_cloud_tgt()
    {
        using var client = new MitClient(Server);

        var kinit = await client.KinitAsync(DemoTenant.AlicePassword, "alice");
        var klist = await client.RunAsync("klist", ["-f"]);

        Assert.True(kinit.ExitCode == 0, kinit.Output + Server.Output);
        Assert.Contains("Default principal: alice@KERBEROS.MICROSOFTONLINE.COM", klist.StdOut);
        Assert.Contains("krbtgt/KERBEROS.MICROSOFTONLINE.COM@KERBEROS.MICROSOFTONLINE.COM", klist.StdOut);
    }

    [Fact]
    public async Task Kinit_with_an_enterprise_name_is_canonicalized_to_the_upn()
    {
        using var client = new MitClient(Server);

        var kinit = await client.KinitAsync(DemoTenant.AlicePassword, "-E", DemoTenant.AliceUpn);
        var klist = await client.RunAsync("klist", []);

        Assert.True(kinit.ExitCode == 0, kinit.Output + Server.Output);
        Assert.Contains(@"Default principal: alice\@contoso.com@KERBEROS.MICROSOFTONLINE.COM", klist.StdOut);
    }

    [Fact]
    public async Task Wrong_password_unknown_user_and_cloud_only_user_are_refused_with_their_codes()
    {
        using var client = new MitClient(Server);

        var wrongPassword = await client.KinitAsync("not-the-password", "alice");
        var unknownUser = await client.KinitAsync("whatever", "nobody");
        var cloudOnly = await client.KinitAsync(DemoTenant.CarolPassword, "-E", "carol@contoso.com");

        Assert.NotEqual(0, wrongPassword.ExitCode);
        Assert.Contains("Password incorrect", wrongPassword.StdErr);
        Assert.NotEqual(0, unknownUser.ExitCode);
        Assert.Contains("not found in Kerberos database", unknownUser.StdErr);
        Assert.NotEqual(0, cloudOnly.ExitCode);
        Assert.Contains("KDC policy rejects request", cloudOnly.StdErr);
    }

    [Fact]
    public async Task Kvno_gets_an_azure_files_ticket_that_a_ktutil_keytab_opens()
    {
        using var client = new MitClient(Server);
        var keytab = await client.KtutilKeytabAsync(DemoTenant.CifsPrincipal, DemoTenant.StoragePassword, kvno: 1);
        Assert.Equal(0, (await client.KinitAsync(DemoTenant.AlicePassword, "alice")).ExitCode);

        // The host name maps to the cloud realm through [domain_realm], as on a Windows client.
        var kvno = await client.RunAsync("kvno", ["-k", keytab, DemoTenant.CifsSpn]);
        var klist = await client.RunAsync("klist", ["-e", "-f"]);

        Assert.True(kvno.ExitCode == 0, kvno.Output + Server.Output);
        Assert.Contains("keytab entry valid", kvno.StdOut);
        Assert.Contains(DemoTenant.CifsPrincipal, klist.StdOut);
        Assert.Contains("aes256-cts-hmac-sha1-96", klist.StdOut);
    }

    [Fact]
    public async Task A_gssapi_acceptor_with_only_the_keytab_accepts_the_initiator()
    {
        using var client = new MitClient(Server);
        var keytab = await client.KtutilKeytabAsync(DemoTenant.CifsPrincipal, DemoTenant.StoragePassword, kvno: 1);
        Assert.Equal(0, (await client.KinitAsync(DemoTenant.AlicePassword, "alice")).ExitCode);

        var run = await client.RunAsync(Python, [Script("gss_roundtrip.py"), "cifs@" + DemoTenant.StorageHost, keytab]);

        Assert.True(run.ExitCode == 0, run.Output + Server.Output);
        using var result = JsonDocument.Parse(run.StdOut);
        Assert.Equal("alice@KERBEROS.MICROSOFTONLINE.COM", result.RootElement.GetProperty("initiator").GetString());
        Assert.True(result.RootElement.GetProperty("mutual").GetBoolean());
        Assert.Equal("hello from the initiator", result.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Kinit_renew_extends_a_renewable_tgt()
    {
        using var client = new MitClient(Server);
        Assert.Equal(0, (await client.KinitAsync(DemoTenant.AlicePassword, "-r", "2d", "alice")).ExitCode);

        var renew = await client.RunAsync("kinit", ["-R"]);
        var klist = await client.RunAsync("klist", ["-f"]);

        Assert.True(renew.ExitCode == 0, renew.Output + Server.Output);
        Assert.Contains("renew until", klist.StdOut);
        Assert.Matches(@"Flags: \w*R", klist.StdOut);
    }

    [Fact]
    public async Task The_service_ticket_pac_read_by_impacket_carries_the_on_premises_identity()
    {
        using var client = new MitClient(Server);
        Assert.Equal(0, (await client.KinitAsync(DemoTenant.AlicePassword, "alice")).ExitCode);
        var kvno = await client.RunAsync("kvno", [DemoTenant.CifsSpn]);
        Assert.True(kvno.ExitCode == 0, kvno.Output + Server.Output);

        // The key an administrator's ktutil derives from the storage account password (checked against
        // ktutil in the crypto tests); impacket opens the ticket MIT cached and checks the PAC with it.
        var serviceKey = KerberosEncryption.StringToKey(
            EncryptionType.Aes256CtsHmacSha196, DemoTenant.StoragePassword, CloudKdcProcess.Realm + "cifs" + DemoTenant.StorageHost);
        var spec = JsonSerializer.Serialize(new
        {
            ccache = client.CachePath,
            spn = DemoTenant.CifsSpn,
            key = Convert.ToHexString(serviceKey.Value),
            wrong_key = new string('0', 64),
        });
        var run = await client.RunAsync(Python, [Script("ticket_pac_impacket.py")], spec);

        Assert.True(run.ExitCode == 0, run.Output);
        using var pac = JsonDocument.Parse(run.StdOut);
        var root = pac.RootElement;
        Assert.Equal(DemoTenant.AliceSid, root.GetProperty("user_sid").GetString());
        var groups = root.GetProperty("group_sids").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains(DemoTenant.DomainSid + "-513", groups);
        Assert.Contains(DemoTenant.DomainSid + "-1110", groups);
        Assert.Contains(DemoTenant.DomainSid + "-1111", groups);
        Assert.Equal(DemoTenant.AliceUpn, root.GetProperty("upn").GetString());
        Assert.Equal("alice", root.GetProperty("sam_name").GetString());
        Assert.Equal(DemoTenant.AliceSid, root.GetProperty("upn_sid").GetString());
        Assert.True(root.GetProperty("server_verified").GetBoolean());
        Assert.False(root.GetProperty("server_verified_wrong_key").GetBoolean());
    }

    [Fact]
    public async Task Hostile_http_requests_get_4xx_and_the_realm_keeps_working()
    {
        using var http = Server.CreateHttpClient();
        var path = new Uri($"/{CloudKdcProcess.DemoTenantId}/kerberos", UriKind.Relative);

        using var garbage = await http.PostAsync(path, new ByteArrayContent("not kerberos at all"u8.ToArray()));
        using var empty = await http.PostAsync(path, new ByteArrayContent([]));
        // Well over the 64 KiB limit but under the drain limit: the server reads the upload away before its 413, so
        // the client always gets the answer instead of a broken pipe (which a closed-early connection gave under load).
        using var oversize = await http.PostAsync(path, new ByteArrayContent(new byte[512 * 1024]));
        using var get = await http.GetAsync(path);
        using var unknownTenant = await http.PostAsync(new Uri("/00000000-0000-0000-0000-000000000000/kerberos", UriKind.Relative), new ByteArrayContent([0x30, 0x00]));

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversize.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownTenant.StatusCode);
        Assert.DoesNotContain("   at ", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var client = new MitClient(Server);
        var kinit = await client.KinitAsync(DemoTenant.AlicePassword, "alice");
        Assert.True(kinit.ExitCode == 0, kinit.Output + Server.Output);
    }

    private static string Script(string name)
    {
        MitTools.RequireInstalled(Python);
        return Path.Combine(AppContext.BaseDirectory, "Scripts", name);
    }
}
