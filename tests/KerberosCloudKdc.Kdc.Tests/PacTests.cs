using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

public class PacTests : IAsyncLifetime
{
    private const string CloudGroupSid = "S-1-12-1-1528458173-1293873589-705514140-1515142684";

    private readonly TestRealm realm = new();

    public Task InitializeAsync() => realm.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(EncTicketPart Ticket, byte[] PacBytes, PrivilegeAttributeCertificate Pac)> ServiceTicketAsync(string spn)
    {
        var tgt = await LoginAsync(realm);
        var response = await realm.SendAsync(TgsRequest(tgt, Service(spn), realm.Clock.Now).Encode());
        var (reply, _) = OpenTgsReply(response, tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        var ticket = OpenTicket(reply.Ticket, TestRealm.ServiceKey(spn));
        var pacBytes = AuthorizationData.FindPac(ticket.AuthorizationData)!.Value.ToArray();
        return (ticket, pacBytes, PrivilegeAttributeCertificate.Decode(pacBytes));
    }

    [Fact]
    public async Task Hybrid_user_pac_carries_on_premises_sid_and_synced_groups()
    {
        var (ticket, _, pac) = await ServiceTicketAsync(TestRealm.FilesSpn);
        var logon = pac.LogonInfo!;

        Assert.Equal(TestRealm.DomainSid, logon.LogonDomainId);
        Assert.Equal(1105u, logon.UserId);
        Assert.Equal(513u, logon.PrimaryGroupId);
        Assert.Equal("alice", logon.EffectiveName);
        Assert.Equal("CONTOSO", logon.LogonDomainName);
        Assert.Equal([513u, 1200u], logon.GroupIds.Select(g => g.RelativeId).Order());
        var extra = Assert.Single(logon.ExtraSids);
        Assert.Equal(TestRealm.OtherDomainSid.WithRid(700), extra.Sid);
        Assert.True(logon.UserFlags.HasFlag(UserFlags.ExtraSidsPresent));

        Assert.Equal("alice@contoso.com", pac.ClientInfo!.Name);
        Assert.Equal(FileTime.FromDateTimeOffset(ticket.AuthTime), pac.ClientInfo.ClientId);

        var upn = pac.UpnDnsInfo!;
        Assert.Equal("alice@contoso.com", upn.Upn);
        Assert.Equal("CONTOSO.COM", upn.DnsDomainName);
        Assert.Equal("alice", upn.SamName);
        Assert.Equal(TestRealm.DomainSid.WithRid(1105), upn.Sid);
        Assert.False(upn.UpnConstructed);

        Assert.Equal(TestRealm.DomainSid.WithRid(1105), pac.Requestor!.Sid);
        Assert.NotNull(pac.AttributesInfo);
    }

    [Fact]
    public async Task Cloud_group_sids_appear_only_for_tagged_services()
    {
        var (_, _, untagged) = await ServiceTicketAsync(TestRealm.FilesSpn);
        Assert.DoesNotContain(untagged.LogonInfo!.ExtraSids, s => s.Sid.ToString() == CloudGroupSid);

        var (_, _, tagged) = await ServiceTicketAsync(TestRealm.TaggedSpn);
        Assert.Contains(tagged.LogonInfo!.ExtraSids, s => s.Sid.ToString() == CloudGroupSid);
        Assert.Contains(tagged.LogonInfo.ExtraSids, s => s.Sid == TestRealm.OtherDomainSid.WithRid(700));
        Assert.Equal(TestRealm.DomainSid.WithRid(1105), tagged.LogonInfo.UserSid);
    }

    [Fact]
    public void Cloud_sid_is_the_object_id_as_four_little_endian_words()
    {
        Assert.Equal(CloudGroupSid, PacFactory.CloudSid(TestRealm.CloudGroupId).ToString());
    }

    [Fact]
    public async Task Service_ticket_pac_has_all_four_signatures_with_the_right_keys()
    {
        var (ticket, pacBytes, pac) = await ServiceTicketAsync(TestRealm.FilesSpn);
        var serviceKey = TestRealm.ServiceKey(TestRealm.FilesSpn);
        var krbtgtKey = realm.KrbtgtKey.Key;

        Assert.True(PacSigner.VerifyServerSignature(pacBytes, serviceKey));
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes, krbtgtKey));
        Assert.True(PacSigner.VerifyFullSignature(pacBytes, krbtgtKey));
        Assert.True(PacSigner.VerifyTicketSignature(pacBytes, krbtgtKey, Placeholder(ticket)));

        Assert.False(PacSigner.VerifyServerSignature(pacBytes, krbtgtKey));
        Assert.False(PacSigner.VerifyKdcSignature(pacBytes, serviceKey));
        Assert.False(PacSigner.VerifyFullSignature(pacBytes, serviceKey));
        Assert.NotNull(pac.TicketSignature);
    }

    [Fact]
    public async Task Group_sids_are_capped_at_1010()
    {
        var groups = new List<Guid>();
        for (var i = 0; i < 1100; i++)
        {
            var id = new Guid(i, 1, 1, new byte[8]);
            groups.Add(id);
            await realm.Store.AddGroupAsync(realm.Tenant.Id, new DirectoryGroup { ObjectId = id, DisplayName = "g" + i, OnPremisesSecurityIdentifier = TestRealm.DomainSid.WithRid(5000 + (uint)i) });
        }

        await realm.Store.UpdateUserAsync(realm.Tenant.Id, realm.Alice with { GroupIds = [.. groups, TestRealm.ForeignGroupId, TestRealm.CloudGroupId] });
        var (_, _, pac) = await ServiceTicketAsync(TestRealm.TaggedSpn);
        Assert.Equal(PacFactory.MaxGroupSids, pac.LogonInfo!.GroupSids().Count);
        Assert.Contains(pac.LogonInfo.GroupIds, g => g.RelativeId == 513);
    }

    /// <summary>The EncTicketPart the ticket signature covers: the PAC ad-data replaced by one zero byte.</summary>
    private static byte[] Placeholder(EncTicketPart ticket) => new EncTicketPart
    {
        Flags = ticket.Flags,
        Key = ticket.Key,
        ClientRealm = ticket.ClientRealm,
        ClientName = ticket.ClientName,
        Transited = ticket.Transited,
        AuthTime = ticket.AuthTime,
        StartTime = ticket.StartTime,
        EndTime = ticket.EndTime,
        RenewTill = ticket.RenewTill,
        AuthorizationData = [AuthorizationData.WrapPac(new byte[1])],
    }.Encode();
}
