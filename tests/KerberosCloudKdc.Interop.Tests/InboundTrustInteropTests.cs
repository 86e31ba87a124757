using System.Text.Json;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
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

        // Inside: MIT's referral PAC (server-signed with the trust key) went into the service ticket re-signed by us.
        var cache = await CredentialCache.ReadAsync(client.CachePath);
        var referral = Ticket.Decode(cache.Credentials.Single(c => c.Server.FullName == "krbtgt/" + CloudKdcProcess.Realm && c.ServerRealm == OnPremRealm).Ticket);
        var trustKey = KeyFactory.ForInboundTrust(TrustPassword, OnPremRealm)[0].Key;
        var referralPart = EncTicketPart.Decode(referral.EncryptedPart.Decrypt(trustKey, KeyUsage.TicketEncPart));
        var referralPac = AuthorizationData.FindPac(referralPart.AuthorizationData);
        Assert.NotNull(referralPac);
        Assert.True(PacSigner.VerifyServerSignature(referralPac.Value.Span, trustKey));

        var service = Ticket.Decode(cache.Credentials.Single(c => c.Server.FullName == "cifs/" + StorageHost).Ticket);
        var storageKey = KeyFactory.ForServicePrincipal(StoragePassword, ["cifs/" + StorageHost], [EncryptionType.Aes256CtsHmacSha196])["cifs/" + StorageHost][0].Key;
        var servicePart = EncTicketPart.Decode(service.EncryptedPart.Decrypt(storageKey, KeyUsage.TicketEncPart));
        Assert.Equal(OnPremRealm, servicePart.ClientRealm);
        Assert.Equal("alice", servicePart.ClientName.FullName);
        var pacBytes = AuthorizationData.FindPac(servicePart.AuthorizationData);
        Assert.NotNull(pacBytes);
        Assert.True(PacSigner.VerifyServerSignature(pacBytes.Value.Span, storageKey));
        var pac = PrivilegeAttributeCertificate.Decode(pacBytes.Value.Span);
        Assert.Equal("alice", pac.ClientInfo?.Name);

        // MIT 1.20's PAC is minimal (client info + server/KDC signatures, no logon info): it passes through as is,
        // with our ticket and full signatures added.
        Assert.Null(PrivilegeAttributeCertificate.Decode(referralPac.Value.Span).LogonInfo);
        Assert.Null(pac.LogonInfo);
        Assert.NotNull(pac.TicketSignature);
        Assert.NotNull(pac.FullSignature);
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
