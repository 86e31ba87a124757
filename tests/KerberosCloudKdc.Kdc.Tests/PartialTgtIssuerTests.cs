using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

/// <summary>Partial TGTs for cloud Kerberos trust (tgt_ad, facts §4.2–4.5).</summary>
public class PartialTgtIssuerTests : IAsyncLifetime
{
    private const ushort Rodc = 9898;
    private static readonly Guid DomainAdminsId = Guid.Parse("11111111-0000-0000-0000-0000000000da");
    private static readonly Guid EveId = Guid.Parse("cccccccc-0000-0000-0000-0000000000e5");
    private readonly TestRealm realm = new();
    private readonly KerberosKey replyKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(7));
    private readonly StoredKey trustKey = new() { Key = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(8)), Kvno = 192272 };

    private PartialTgtIssuer Issuer => new(realm.Store, realm.Clock, realm.Random);

    public async Task InitializeAsync()
    {
        await realm.InitializeAsync();
        await realm.Store.AddGroupAsync(realm.Tenant.Id, new DirectoryGroup { ObjectId = DomainAdminsId, DisplayName = "Domain Admins", OnPremisesSecurityIdentifier = TestRealm.DomainSid.WithRid(512) });
        await realm.Store.AddUserAsync(realm.Tenant.Id, new DirectoryUser
        {
            ObjectId = EveId,
            UserPrincipalName = "eve@contoso.com",
            OnPremises = new OnPremisesIdentity { SamAccountName = "eve", SecurityIdentifier = TestRealm.DomainSid.WithRid(1500), DomainName = "contoso.com" },
            GroupIds = [DomainAdminsId],
        });
        await SetTrustAsync([trustKey]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ticket_is_for_the_ad_realm_under_the_rodc_kvno_with_a_pac_holding_only_the_user()
    {
        var outcome = await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey);

        Assert.True(outcome.Configured);
        Assert.Null(outcome.Error);
        Assert.Equal("CONTOSO.COM", outcome.Realm);
        var reply = AsRep.Decode(outcome.Ticket!.Encode());
        Assert.Null(reply.EncryptedPart.KeyVersion);
        var part = EncKdcRepPart.Decode(reply.EncryptedPart.Decrypt(replyKey, KeyUsage.AsRepEncPart));
        Assert.Equal(new PrincipalName(PrincipalNameType.Principal, "alice"), reply.ClientName);
        Assert.Equal("CONTOSO.COM", reply.ClientRealm);
        Assert.Equal("CONTOSO.COM", reply.Ticket.Realm);
        Assert.Equal(new PrincipalName(PrincipalNameType.ServiceInstance, "krbtgt", "CONTOSO.COM"), reply.Ticket.ServerName);
        Assert.Equal(((uint)Rodc << 16) | (192272u & 0xFFFF), reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, reply.Ticket.EncryptedPart.EncryptionType);
        Assert.Equal(TicketFlags.Initial | TicketFlags.PreAuthent | TicketFlags.Forwardable | TicketFlags.Renewable, part.Flags);
        Assert.Equal(TestRealm.Start.AddHours(10), part.EndTime);
        Assert.Equal(TestRealm.Start.AddDays(7), part.RenewTill);

        var ticket = OpenTicket(reply.Ticket, trustKey.Key);
        Assert.Equal(part.Key.ToKey().Value.ToArray(), ticket.Key.ToKey().Value.ToArray());
        var pacBytes = AuthorizationData.FindPac(ticket.AuthorizationData)!.Value;
        Assert.True(PacSigner.VerifyServerSignature(pacBytes.Span, trustKey.Key));
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes.Span, trustKey.Key));
        Assert.False(PacSigner.VerifyKdcSignature(pacBytes.Span, realm.KrbtgtKey.Key));

        var pac = PrivilegeAttributeCertificate.Decode(pacBytes.Span);
        Assert.Equal(
            [PacBufferType.LogonInfo, PacBufferType.ClientInfo, PacBufferType.Attributes, PacBufferType.Requestor, PacBufferType.ServerChecksum, PacBufferType.KdcChecksum],
            pac.Buffers.Select(b => b.Type));
        var logon = pac.LogonInfo!;
        Assert.Equal(TestRealm.DomainSid.WithRid(1105), logon.UserSid);

        // Alice is in a synced group and a foreign one: neither reaches the partial TGT, only the primary group.
        Assert.Equal([TestRealm.DomainSid.WithRid(513)], logon.GroupSids());
        Assert.Empty(logon.ExtraSids);
        Assert.Equal(TestRealm.DomainSid.WithRid(1105), pac.Requestor!.Sid);
        Assert.True(pac.AttributesInfo!.PacWasRequested);
        Assert.Equal("alice", pac.ClientInfo!.Name);
    }

    [Fact]
    public async Task Member_of_domain_admins_is_denied_and_gets_no_ticket()
    {
        var eve = await realm.Store.GetUserAsync(realm.Tenant.Id, EveId);
        var outcome = await Issuer.IssueAsync(realm.Tenant, eve!, replyKey);
        Assert.True(outcome.Configured);
        Assert.Null(outcome.Ticket);
        Assert.Contains("denied by the replication policy", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(TestRealm.DomainSid.WithRid(512).ToString(), outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deny_wins_over_allow_and_the_users_own_sid_counts()
    {
        var aliceSid = TestRealm.DomainSid.WithRid(1105);
        await SetTrustAsync([trustKey], allowed: [aliceSid], denied: [aliceSid]);
        var outcome = await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey);
        Assert.Null(outcome.Ticket);
        Assert.Equal($"denied by the replication policy ({aliceSid})", outcome.Error);
    }

    [Fact]
    public async Task User_outside_every_allowed_group_is_refused()
    {
        await SetTrustAsync([trustKey], allowed: [TestRealm.DomainSid.WithRid(4242)], denied: []);
        var outcome = await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey);
        Assert.Null(outcome.Ticket);
        Assert.Equal("not in an allowed replication group", outcome.Error);

        // Membership of a synced group on the allowed list is enough.
        await SetTrustAsync([trustKey], allowed: [TestRealm.DomainSid.WithRid(1200)], denied: []);
        Assert.NotNull((await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey)).Ticket);
    }

    [Fact]
    public async Task Cloud_only_user_gets_an_error_when_the_tenant_domain_has_a_trust()
    {
        var outcome = await Issuer.IssueAsync(realm.Tenant, realm.Carol, replyKey);
        Assert.True(outcome.Configured);
        Assert.Null(outcome.Ticket);
        Assert.Equal("user is not synced from on-premises AD", outcome.Error);
    }

    [Fact]
    public async Task Disabled_user_gets_an_error()
    {
        var dave = await realm.Store.FindUserAsync(realm.Tenant.Id, "dave");
        var outcome = await Issuer.IssueAsync(realm.Tenant, dave!, replyKey);
        Assert.True(outcome.Configured);
        Assert.Null(outcome.Ticket);
        Assert.Equal("user account is disabled", outcome.Error);
    }

    [Fact]
    public async Task Without_a_trust_for_the_users_domain_nothing_is_configured()
    {
        await realm.Store.DeleteCloudTrustAsync(realm.Tenant.Id, "CONTOSO.COM");
        Assert.False((await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey)).Configured);
        Assert.False((await Issuer.IssueAsync(realm.Tenant, realm.Carol, replyKey)).Configured);
    }

    [Fact]
    public async Task After_rotation_the_newest_key_is_used_and_the_kvno_follows_its_version()
    {
        var newer = new StoredKey { Key = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(9)), Kvno = 212621 };
        await SetTrustAsync([newer, trustKey]);
        var reply = AsRep.Decode((await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey)).Ticket!.Encode());
        Assert.Equal(((uint)Rodc << 16) | (212621u & 0xFFFF), reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Equal(212621u & 0xFFFF, reply.Ticket.EncryptedPart.KeyVersion!.Value & 0xFFFF);
        OpenTicket(reply.Ticket, newer.Key);
        Assert.ThrowsAny<Exception>(() => OpenTicket(reply.Ticket, trustKey.Key));
    }

    [Fact]
    public async Task Rodc_numbers_above_32767_round_trip_through_the_signed_kvno_encoding()
    {
        await realm.Store.SetCloudTrustAsync(realm.Tenant.Id, Trust([trustKey]) with { RodcNumber = 65000 });
        var reply = AsRep.Decode((await Issuer.IssueAsync(realm.Tenant, realm.Alice, replyKey)).Ticket!.Encode());
        Assert.Equal((65000u << 16) | (192272u & 0xFFFF), reply.Ticket.EncryptedPart.KeyVersion);
    }

    [Fact]
    public void Default_lists_allow_domain_users_and_deny_the_privileged_groups()
    {
        var allowed = CloudTrustDomain.DefaultAllowed(TestRealm.DomainSid);
        var denied = CloudTrustDomain.DefaultDenied(TestRealm.DomainSid);
        Assert.Contains(TestRealm.DomainSid.WithRid(513), allowed);
        Assert.Contains(TestRealm.DomainSid.WithRid(571), allowed);
        foreach (var rid in new uint[] { 572, 512, 519, 518, 517, 520, 516, 521, 502 })
        {
            Assert.Contains(TestRealm.DomainSid.WithRid(rid), denied);
        }

        foreach (var sid in new[] { "S-1-5-32-544", "S-1-5-32-548", "S-1-5-32-549", "S-1-5-32-551" })
        {
            Assert.Contains(SecurityIdentifier.Parse(sid), denied);
        }

        Assert.Equal(13, denied.Count);
    }

    private static CloudTrustDomain Trust(IReadOnlyList<StoredKey> keys, IReadOnlyList<SecurityIdentifier>? allowed = null, IReadOnlyList<SecurityIdentifier>? denied = null) => new()
    {
        DnsName = "contoso.com",
        RodcNumber = Rodc,
        Keys = keys,
        KeyUpdatedOn = TestRealm.Start,
        AllowedGroupSids = allowed ?? CloudTrustDomain.DefaultAllowed(TestRealm.DomainSid),
        DeniedGroupSids = denied ?? CloudTrustDomain.DefaultDenied(TestRealm.DomainSid),
    };

    private async Task SetTrustAsync(IReadOnlyList<StoredKey> keys, IReadOnlyList<SecurityIdentifier>? allowed = null, IReadOnlyList<SecurityIdentifier>? denied = null) =>
        await realm.Store.SetCloudTrustAsync(realm.Tenant.Id, Trust(keys, allowed, denied));
}
