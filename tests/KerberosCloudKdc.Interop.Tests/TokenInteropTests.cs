using System.Text.Json;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// The token endpoint against a client written independently of it (Scripts/entra_prt_client.py: cryptography +
/// impacket, from the public descriptions only), then MIT kvno with the TGT that client decoded: proof that a
/// third party reads our PRT response as Entra's and that the cloud TGT in it works through the KDC proxy.
/// </summary>
public sealed class TokenInteropTests(CloudKdcFixture fixture) : IClassFixture<CloudKdcFixture>
{
    private const string Python = "/usr/bin/python3";

    private CloudKdcProcess Server => fixture.Server;

    [Fact]
    public async Task An_independent_prt_client_gets_a_cloud_tgt_that_mit_kvno_uses()
    {
        MitTools.RequireInstalled(Python);
        using var client = new MitClient(Server);
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "entra_prt_client.py");
        var adOut = client.CachePath + ".tgt_ad.json";
        var run = await client.RunAsync(Python,
            [script, "--url", Server.BaseUri.ToString(), "--ca", Server.CaPath, "--tenant", CloudKdcProcess.DemoTenantId,
             "--api-key", Server.AdminApiKey, "--username", DemoTenant.AliceUpn, "--password-stdin", "--ccache", client.CachePath,
             "--ad-out", adOut],
            DemoTenant.AlicePassword + "\n");
        Assert.True(run.ExitCode == 0, run.Output + Server.Output);

        var result = JsonDocument.Parse(run.StdOut).RootElement;
        Assert.Equal(DemoTenant.AliceUpn, result.GetProperty("cname").GetString());
        Assert.Equal(10, result.GetProperty("cnameType").GetInt32());
        Assert.Equal(CloudKdcProcess.Realm, result.GetProperty("realm").GetString());
        Assert.Equal(18, result.GetProperty("sessionKeyEtype").GetInt32());

        var klist = await client.RunAsync("klist", []);
        Assert.Contains($"krbtgt/{CloudKdcProcess.Realm}@{CloudKdcProcess.Realm}", klist.StdOut);
        var kvno = await client.RunAsync("kvno", [DemoTenant.CifsSpn]);
        Assert.True(kvno.ExitCode == 0, kvno.Output + Server.Output);
        Assert.Contains(DemoTenant.CifsSpn, kvno.StdOut, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("kvno = 1", kvno.StdOut);

        // tgt_ad, opened by the same independent client, then its ticket by impacket with the krbtgt_AzureAD key
        // impacket derives itself from the demo trust's password (AD's salt for krbtgt_N: REALM + "krbtgt_" + N).
        Assert.True(result.GetProperty("tgtAd").GetBoolean());
        using var ad = JsonDocument.Parse(await File.ReadAllTextAsync(adOut));
        Assert.Equal(18, ad.RootElement.GetProperty("keyType").GetInt32());
        var spec = JsonSerializer.Serialize(new
        {
            as_rep = ad.RootElement.GetProperty("as_rep").GetString(),
            reply_key_hex = ad.RootElement.GetProperty("reply_key_hex").GetString(),
            krbtgt_password = DemoSeed.CloudTrustPassword,
            krbtgt_salt = $"CONTOSO.COMkrbtgt_{DemoSeed.CloudTrustRodcNumber}",
        });
        var opened = await client.RunAsync(Python, [Path.Combine(AppContext.BaseDirectory, "Scripts", "tgt_ad_impacket.py")], spec);
        Assert.True(opened.ExitCode == 0, opened.Output);
        var ticket = JsonDocument.Parse(opened.StdOut).RootElement;
        Assert.Equal("CONTOSO.COM", ticket.GetProperty("realm").GetString());
        Assert.Equal("krbtgt/CONTOSO.COM", ticket.GetProperty("sname").GetString());
        Assert.Equal("alice", ticket.GetProperty("cname").GetString());
        Assert.Equal(DemoSeed.CloudTrustRodcNumber, ticket.GetProperty("rodc").GetInt32());
        Assert.Equal(1, ticket.GetProperty("key_version").GetInt32());
        Assert.Equal(DemoTenant.AliceSid, ticket.GetProperty("user_sid").GetString());
        Assert.Equal(1, ticket.GetProperty("group_count").GetInt32());
        Assert.Equal(0, ticket.GetProperty("extra_sid_count").GetInt32());
        Assert.True(ticket.GetProperty("server_checksum_ok").GetBoolean());
    }

    [Fact]
    public async Task The_independent_client_renews_its_prt_with_a_session_key_signed_request_and_mit_kvno_uses_the_new_tgt()
    {
        MitTools.RequireInstalled(Python);
        using var client = new MitClient(Server);
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "entra_prt_client.py");
        var run = await client.RunAsync(Python,
            [script, "--url", Server.BaseUri.ToString(), "--ca", Server.CaPath, "--tenant", CloudKdcProcess.DemoTenantId,
             "--api-key", Server.AdminApiKey, "--username", DemoSeed.BobUpn, "--password-stdin", "--ccache", client.CachePath,
             "--refresh"],
            DemoSeed.BobPassword + "\n");
        Assert.True(run.ExitCode == 0, run.Output + Server.Output);

        var result = JsonDocument.Parse(run.StdOut).RootElement;
        Assert.True(result.GetProperty("refreshed").GetBoolean());
        Assert.StartsWith("application/jose", result.GetProperty("refreshContentType").GetString(), StringComparison.Ordinal);
        Assert.Equal(DemoSeed.BobUpn, result.GetProperty("cname").GetString());
        Assert.Equal(CloudKdcProcess.Realm, result.GetProperty("realm").GetString());

        var kvno = await client.RunAsync("kvno", [DemoTenant.CifsSpn]);
        Assert.True(kvno.ExitCode == 0, kvno.Output + Server.Output);
        Assert.Contains(DemoTenant.CifsSpn, kvno.StdOut, StringComparison.OrdinalIgnoreCase);
    }
}
