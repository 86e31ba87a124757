using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

/// <summary>Incoming trust (facts §4.7): referral TGTs krbtgt/KERBEROS.MICROSOFTONLINE.COM@CONTOSO.LAB.</summary>
public class InboundTrustTests : IAsyncLifetime
{
    private const string TrustedRealm = "CONTOSO.LAB";
    private const string TrustPassword = "trust-password";
    private static readonly KerberosKey FilesKey = TestRealm.ServiceKey(TestRealm.FilesSpn);
    private static readonly SecurityIdentifier LabSid = SecurityIdentifier.Parse("S-1-5-21-111-222-333");
    private static readonly SecurityIdentifier ForestSid = SecurityIdentifier.Parse("S-1-5-21-444-555-666-1234");
    private static readonly SecurityIdentifier CloudSid = SecurityIdentifier.Parse("S-1-12-1-1-2-3-4");
    private static readonly SecurityIdentifier OtherCloudSid = SecurityIdentifier.Parse("S-1-12-1-5-6-7-8");

    private readonly TestRealm realm = new();
    private readonly PrincipalName alice = Principal("alice");

    public async Task InitializeAsync()
    {
        await realm.InitializeAsync();
        await realm.Store.SetInboundTrustKeysAsync(realm.Tenant.Id, TrustedRealm, KeyFactory.ForInboundTrust(TrustPassword, TrustedRealm, kvno: 2));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTimeOffset Now => realm.Clock.Now;

    private static KerberosKey TrustKey(string password = TrustPassword, EncryptionType etype = EncryptionType.Aes256CtsHmacSha196) =>
        KerberosEncryption.StringToKey(etype, password, "CONTOSO.LABkrbtgtKERBEROS.MICROSOFTONLINE.COM");

    private static PrivilegeAttributeCertificate LabPac(SecurityIdentifier? domainSid = null) => new PacBuilder
    {
        UserName = "alice",
        DnsDomainName = TrustedRealm,
        NetBiosDomainName = "CONTOSO",
        DomainSid = domainSid ?? LabSid,
        UserRid = 1105,
        GroupRids = [512, 1200],
        ExtraSids = [new SidAndAttributes(ForestSid, GroupAttributes.DefaultGroup), new SidAndAttributes(CloudSid, GroupAttributes.DefaultGroup)],
        ResourceGroupDomainSid = OtherCloudSid,
        ResourceGroupRids = [9],
        AuthTime = TestRealm.Start,
        ClientName = "alice",
    }.Build();

    /// <summary>A referral as CONTOSO.LAB's KDC issues it: ticket realm CONTOSO.LAB, PAC server-signed with the trust key.</summary>
    private (Ticket Ticket, KerberosKey SessionKey) Referral(
        KerberosKey? ticketKey = null, string ticketRealm = TrustedRealm, string clientRealm = TrustedRealm, uint kvno = 2, bool withPac = true, PrivilegeAttributeCertificate? pac = null)
    {
        var key = ticketKey ?? TrustKey();
        var sessionKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(5));
        var labKrbtgt = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(6));
        var part = new EncTicketPart
        {
            Flags = TicketFlags.Forwardable | TicketFlags.Renewable | TicketFlags.PreAuthent,
            Key = EncryptionKey.From(sessionKey),
            ClientRealm = clientRealm,
            ClientName = alice,
            AuthTime = TestRealm.Start,
            StartTime = TestRealm.Start,
            EndTime = TestRealm.Start.AddHours(10),
            RenewTill = TestRealm.Start.AddDays(7),
            AuthorizationData = withPac ? [AuthorizationData.WrapPac(PacSigner.Sign(pac ?? LabPac(), key, labKrbtgt))] : null,
        };
        var ticket = new Ticket
        {
            Realm = ticketRealm,
            ServerName = PrincipalName.Krbtgt(CloudRealm.Name),
            EncryptedPart = EncryptedData.Encrypt(key, KeyUsage.TicketEncPart, part.Encode(), new SeededRandom(7), kvno),
        };
        return (ticket, sessionKey);
    }

    private async Task<KdcResponse> AskAsync((Ticket Ticket, KerberosKey SessionKey) referral, string spn = TestRealm.FilesSpn, string clientRealm = TrustedRealm) =>
        await realm.SendAsync(TgsRequest(referral.Ticket, referral.SessionKey, alice, clientRealm, Service(spn), Now).Encode());

    [Fact]
    public void Password_keys_use_the_MIT_default_salt_of_the_trust_principal()
    {
        var keys = KeyFactory.ForInboundTrust(TrustPassword, "contoso.lab");
        Assert.Equal([EncryptionType.Aes256CtsHmacSha196, EncryptionType.Aes128CtsHmacSha196], keys.Select(k => k.EncryptionType));
        Assert.All(keys, k => Assert.Equal("CONTOSO.LABkrbtgtKERBEROS.MICROSOFTONLINE.COM", k.Salt));
        Assert.Equal(TrustKey().Value.ToArray(), keys[0].Key.Value.ToArray());
    }

    [Fact]
    public async Task Referral_gets_a_service_ticket_with_the_presented_PAC_minus_cloud_SIDs_resigned_by_us()
    {
        var referral = Referral();
        realm.Clock.Advance(TimeSpan.FromMinutes(10));
        var response = await AskAsync(referral);

        var (reply, part) = OpenTgsReply(response, referral.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal(TrustedRealm, reply.ClientRealm);
        Assert.Equal(alice, reply.ClientName);
        Assert.Equal(CloudRealm.Name, reply.Ticket.Realm);
        Assert.Equal(Service(TestRealm.FilesSpn), part.ServerName);
        Assert.Equal("alice@" + TrustedRealm, response.Outcome.Client);

        var ticket = OpenTicket(reply.Ticket, FilesKey);
        Assert.Equal(TrustedRealm, ticket.ClientRealm);
        Assert.Equal(TestRealm.Start, ticket.AuthTime);
        Assert.Equal(Now.AddHours(1), ticket.EndTime);
        Assert.Null(ticket.RenewTill);
        Assert.Equal(TicketFlags.Forwardable | TicketFlags.PreAuthent, ticket.Flags);

        var pacBytes = AuthorizationData.FindPac(ticket.AuthorizationData)!.Value;
        Assert.True(PacSigner.VerifyServerSignature(pacBytes.Span, FilesKey));
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes.Span, realm.KrbtgtKey.Key));
        Assert.True(PacSigner.VerifyFullSignature(pacBytes.Span, realm.KrbtgtKey.Key));

        var pac = PrivilegeAttributeCertificate.Decode(pacBytes.Span);
        var logon = pac.LogonInfo!;
        Assert.Equal(LabSid.WithRid(1105), logon.UserSid);
        Assert.Equal("alice", logon.EffectiveName);
        Assert.Equal([LabSid.WithRid(513), LabSid.WithRid(512), LabSid.WithRid(1200), ForestSid], logon.GroupSids());
        Assert.Null(logon.ResourceGroupDomainSid);
        Assert.Equal(UserFlags.ExtraSidsPresent, logon.UserFlags);
        Assert.Equal(LabSid.WithRid(1105), pac.Requestor!.Sid);
        Assert.Equal("alice", pac.ClientInfo!.Name);
    }

    [Fact]
    public async Task Referral_from_an_unknown_realm_is_an_unknown_principal()
    {
        var referral = Referral(ticketRealm: "FABRIKAM.LAB", clientRealm: "FABRIKAM.LAB");
        AssertError(await AskAsync(referral, clientRealm: "FABRIKAM.LAB"), KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    }

    [Fact]
    public async Task Referral_under_the_wrong_key_fails_integrity()
    {
        AssertError(await AskAsync(Referral(ticketKey: TrustKey("not-the-trust-password"))), KerberosErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
    }

    [Fact]
    public async Task Referral_under_an_unknown_kvno_is_a_bad_key_version()
    {
        AssertError(await AskAsync(Referral(kvno: 9)), KerberosErrorCode.KRB_AP_ERR_BADKEYVER);
    }

    [Fact]
    public async Task Referral_under_the_aes128_trust_key_is_accepted()
    {
        var referral = Referral(ticketKey: TrustKey(etype: EncryptionType.Aes128CtsHmacSha196));
        AssertSucceeded(await AskAsync(referral));
    }

    [Fact]
    public async Task Referral_without_a_PAC_is_refused()
    {
        AssertError(await AskAsync(Referral(withPac: false)), KerberosErrorCode.KDC_ERR_TGT_REVOKED);
    }

    [Fact]
    public async Task Referral_whose_PAC_was_altered_is_refused()
    {
        var referral = Referral();

        // Re-sign the PAC with a key other than the trust key: the server signature no longer verifies.
        var key = TrustKey();
        var sessionKey = referral.SessionKey;
        var part = OpenTicket(referral.Ticket, key);
        var tampered = new EncTicketPart
        {
            Flags = part.Flags,
            Key = part.Key,
            ClientRealm = part.ClientRealm,
            ClientName = part.ClientName,
            AuthTime = part.AuthTime,
            StartTime = part.StartTime,
            EndTime = part.EndTime,
            RenewTill = part.RenewTill,
            AuthorizationData = [AuthorizationData.WrapPac(PacSigner.Sign(LabPac(), TrustKey("other"), TrustKey("other")))],
        };
        var ticket = new Ticket
        {
            Realm = TrustedRealm,
            ServerName = referral.Ticket.ServerName,
            EncryptedPart = EncryptedData.Encrypt(key, KeyUsage.TicketEncPart, tampered.Encode(), new SeededRandom(8), 2),
        };
        AssertError(await AskAsync((ticket, sessionKey)), KerberosErrorCode.KRB_AP_ERR_MODIFIED);
    }

    [Fact]
    public async Task Referral_claiming_a_cloud_user_SID_is_refused()
    {
        var referral = Referral(pac: LabPac(SecurityIdentifier.Parse("S-1-12-1-10-20-30")));
        AssertError(await AskAsync(referral), KerberosErrorCode.KDC_ERR_POLICY);
    }

    [Fact]
    public async Task Referral_for_a_client_of_another_realm_is_a_path_not_accepted()
    {
        var referral = Referral(clientRealm: "CHILD.CONTOSO.LAB");
        AssertError(await AskAsync(referral, clientRealm: "CHILD.CONTOSO.LAB"), KerberosErrorCode.KDC_ERR_PATH_NOT_ACCEPTED);
    }

    [Fact]
    public async Task Referral_gets_no_TGT_of_our_realm()
    {
        var referral = Referral();
        var response = await realm.SendAsync(TgsRequest(referral.Ticket, referral.SessionKey, alice, TrustedRealm, PrincipalName.Krbtgt(CloudRealm.Name), Now).Encode());
        AssertError(response, KerberosErrorCode.KDC_ERR_POLICY);
    }

    [Fact]
    public async Task Unregistered_SPN_is_unknown_for_referral_clients_too()
    {
        AssertError(await AskAsync(Referral(), spn: "cifs/nowhere.file.core.windows.net"), KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    }

    [Fact]
    public async Task Removing_the_trust_refuses_its_referrals()
    {
        await realm.Store.SetInboundTrustKeysAsync(realm.Tenant.Id, TrustedRealm, []);
        AssertError(await AskAsync(Referral()), KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    }
}
