using System.Text.Json;
using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// Incoming trust end to end (facts §4.7): an MIT KDC plays the on-premises realm CONTOSO.LAB and shares
/// krbtgt/KERBEROS.MICROSOFTONLINE.COM@CONTOSO.LAB with the cloud KDC. alice@CONTOSO.LAB logs on at MIT, MIT
/// issues the referral TGT, and the cloud KDC answers the TGS-REQ (through the KDC proxy) with a service
/// ticket for the storage account that the account's keytab opens.
/// </summary>
public sealed class InboundTrustInteropTests
{
    private const string OnPremRealm = "CONTOSO.LAB";
    private const string TrustPrincipal = "krbtgt/" + CloudKdcProcess.Realm + "@" + OnPremRealm;
    private const string TrustPassword = "Inbound-Trust-Passw0rd!";
    private const string AlicePassword = "Alice-OnPrem-Passw0rd!";
    private const string StorageAccount = "trustacct";
    private const string StoragePassword = "TrustAcct-Kerb1-Passw0rd!";
    private const string StorageHost = StorageAccount + ".file.core.windows.net";
    private const string CifsPrincipal = "cifs/" + StorageHost + "@" + CloudKdcProcess.Realm;

    [Fact]
    public async Task Mit_user_of_the_trusted_realm_gets_a_storage_service_ticket_from_the_cloud_kdc()
    {
        await using var onPrem = await MitRealm.StartAsync(OnPremRealm);
        await onPrem.AddPrincipalAsync("alice@" + OnPremRealm, AlicePassword);
        await onPrem.AddPrincipalAsync(TrustPrincipal, TrustPassword);

        var seedPath = Path.Combine(onPrem.Directory, "seed.json");
        await File.WriteAllTextAsync(seedPath, Seed(TrustPassword));
        await using var server = await CloudKdcProcess.StartAsync([$"--CloudKdc:SeedFile={seedPath}"]);
        using var client = new MitClient(server);
        WriteTwoRealmConfig(client.ConfigPath, onPrem, server);

        var kinit = await client.KinitAsync(AlicePassword, "alice@" + OnPremRealm);
        Assert.True(kinit.ExitCode == 0, kinit.Output);

        // MIT wraps this TGS-REQ in FAST (the MIT KDC advertised FAST); the cloud KDC answers the outer
        // request plainly and MIT accepts that. The trace is kept for the failure message.
        var kvno = await client.RunAsync("env", ["KRB5_TRACE=/dev/stdout", "kvno", CifsPrincipal]);
        var klist = await client.RunAsync("klist", ["-e"]);
        Assert.True(kvno.ExitCode == 0, kvno.Output + klist.Output + server.Output + await File.ReadAllTextAsync(onPrem.KdcLogPath));
        Assert.Contains(TrustPrincipal, klist.StdOut);
        Assert.Contains(CifsPrincipal, klist.StdOut);

        // The storage account's own key (ktutil from its password) opens the ticket and checks the PAC we signed.
        var keytab = await client.KtutilKeytabAsync(CifsPrincipal, StoragePassword, kvno: 1);
        var verify = await client.RunAsync("kvno", ["-k", keytab, CifsPrincipal]);
        Assert.True(verify.ExitCode == 0, verify.Output + server.Output);
        Assert.Contains("keytab entry valid", verify.StdOut);
    }

    [Fact]
    public async Task A_trust_password_that_does_not_match_fails_integrity_at_the_cloud_kdc()
    {
        await using var onPrem = await MitRealm.StartAsync(OnPremRealm);
        await onPrem.AddPrincipalAsync("alice@" + OnPremRealm, AlicePassword);
        await onPrem.AddPrincipalAsync(TrustPrincipal, TrustPassword);

        var seedPath = Path.Combine(onPrem.Directory, "seed.json");
        await File.WriteAllTextAsync(seedPath, Seed("Some-Other-Trust-Passw0rd!"));
        await using var server = await CloudKdcProcess.StartAsync([$"--CloudKdc:SeedFile={seedPath}"]);
        using var client = new MitClient(server);
        WriteTwoRealmConfig(client.ConfigPath, onPrem, server);

        var kinit = await client.KinitAsync(AlicePassword, "alice@" + OnPremRealm);
        Assert.True(kinit.ExitCode == 0, kinit.Output);
        var kvno = await client.RunAsync("kvno", [CifsPrincipal]);

        Assert.NotEqual(0, kvno.ExitCode);
        Assert.Contains("Decrypt integrity check failed", kvno.Output);
    }

    private static string Seed(string trustPassword) => JsonSerializer.Serialize(new
    {
        tenants = new object[]
        {
            new
            {
                id = CloudKdcProcess.DemoTenantId,
                displayName = "Contoso (trust lab)",
                verifiedDomains = new[] { "contoso.lab" },
                storageAccounts = new[] { new { name = StorageAccount, password = StoragePassword, kvno = 1 } },
                inboundTrusts = new[] { new { realm = OnPremRealm, password = trustPassword, kvno = 1 } },
            },
        },
    });

    /// <summary>One krb5.conf for both realms: CONTOSO.LAB at the MIT KDC over TCP, the cloud realm through the KDC proxy.</summary>
    private static void WriteTwoRealmConfig(string path, MitRealm onPrem, CloudKdcProcess server) =>
        File.WriteAllText(path, $$"""
            [libdefaults]
              default_realm = {{OnPremRealm}}
              dns_lookup_kdc = false
              dns_lookup_realm = false
              dns_canonicalize_hostname = false
              rdns = false
              forwardable = true
              udp_preference_limit = 1
              permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
            [realms]
              {{OnPremRealm}} = {
                kdc = 127.0.0.1:{{onPrem.KdcPort}}
              }
              {{CloudKdcProcess.Realm}} = {
                kdc = {{server.KdcUrl()}}
                http_anchors = FILE:{{server.CaPath}}
              }
            [domain_realm]
              .file.core.windows.net = {{CloudKdcProcess.Realm}}
              .contoso.lab = {{OnPremRealm}}
            [capaths]
              {{OnPremRealm}} = {
                {{CloudKdcProcess.Realm}} = .
              }
            """);
}
