using System.Text.Json;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;
using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// The partial TGT (tgt_ad) read by impacket, an implementation independent of ours (facts §4.2–4.3): the
/// reply opens with the client key, the ticket with the krbtgt_AzureAD key, the kvno carries the RODC
/// number, the PAC holds only the user and its server signature verifies.
/// </summary>
public sealed class PartialTgtInteropTests
{
    private const string Python = "/usr/bin/python3";
    private const ushort Rodc = 9898;
    private const uint KeyVersion = 192272;
    private static readonly SecurityIdentifier DomainSid = SecurityIdentifier.Parse("S-1-5-21-3623811015-3361044348-30300820");
    private static readonly Guid TenantId = Guid.Parse("aaaaaaaa-1111-4000-8000-000000000001");
    private static readonly Guid GroupId = Guid.Parse("aaaaaaaa-2222-4000-8000-000000000001");

    [Fact]
    public async Task Impacket_opens_the_partial_tgt_and_sees_the_rodc_kvno_and_a_user_only_pac()
    {
        var (issued, replyKey, trustKey) = await IssueAsync();
        var run = await RunScriptAsync(issued, replyKey, trustKey);

        Assert.True(run.ExitCode == 0, run.Output);
        using var document = JsonDocument.Parse(run.StdOut);
        var root = document.RootElement;
        Assert.Equal("CONTOSO.COM", root.GetProperty("realm").GetString());
        Assert.Equal("krbtgt/CONTOSO.COM", root.GetProperty("sname").GetString());
        Assert.Equal(2, root.GetProperty("sname_type").GetInt32());
        Assert.Equal("alice", root.GetProperty("cname").GetString());
        Assert.Equal(1, root.GetProperty("cname_type").GetInt32());
        Assert.Equal("CONTOSO.COM", root.GetProperty("crealm").GetString());
        Assert.Equal("CONTOSO.COM", root.GetProperty("ticket_crealm").GetString());
        Assert.Equal(18, root.GetProperty("ticket_etype").GetInt32());
        Assert.Equal(((long)Rodc << 16) | (KeyVersion & 0xFFFF), root.GetProperty("kvno").GetInt64());
        Assert.Equal(Rodc, root.GetProperty("rodc").GetInt32());
        Assert.Equal((int)(KeyVersion & 0xFFFF), root.GetProperty("key_version").GetInt32());
        Assert.False(root.GetProperty("reply_has_kvno").GetBoolean());
        Assert.True(root.GetProperty("session_key_matches").GetBoolean());
        Assert.Equal(DomainSid.WithRid(1105).ToString(), root.GetProperty("user_sid").GetString());

        // Only the primary group in LOGON_INFO, although alice is in a synced group.
        Assert.Equal(1, root.GetProperty("group_count").GetInt32());
        Assert.Equal(0, root.GetProperty("extra_sid_count").GetInt32());
        Assert.Equal([1, 10, 17, 18, 6, 7], root.GetProperty("buffer_types").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(root.GetProperty("server_checksum_ok").GetBoolean());
        Assert.True(root.GetProperty("kdc_checksum_ok").GetBoolean());
    }

    [Fact]
    public async Task A_wrong_krbtgt_key_does_not_open_the_ticket()
    {
        var (issued, replyKey, _) = await IssueAsync();
        var wrong = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, SystemKerberosRandom.Instance);
        var run = await RunScriptAsync(issued, replyKey, wrong);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ticket", run.StdOut, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> RunScriptAsync(IssuedTicket issued, KerberosKey replyKey, KerberosKey trustKey)
    {
        MitTools.RequireInstalled(Python);
        var spec = JsonSerializer.Serialize(new
        {
            as_rep = Convert.ToBase64String(issued.Encode()),
            reply_key_hex = Convert.ToHexString(replyKey.Value),
            krbtgt_key_hex = Convert.ToHexString(trustKey.Value),
        });
        return await MitTools.RunAsync(Python, [Path.Combine(AppContext.BaseDirectory, "Scripts", "tgt_ad_impacket.py")], env: null, stdin: spec);
    }

    private static async Task<(IssuedTicket Issued, KerberosKey ReplyKey, KerberosKey TrustKey)> IssueAsync()
    {
        var random = SystemKerberosRandom.Instance;
        var store = new InMemoryDirectoryStore();
        var tenant = new Tenant
        {
            Id = TenantId,
            DisplayName = "Contoso",
            VerifiedDomains = ["contoso.com"],
            OnPremisesDomain = new OnPremisesDomain { DnsName = "contoso.com", NetBiosName = "CONTOSO", DomainSid = DomainSid },
        };
        await store.AddTenantAsync(tenant, [KeyFactory.RandomKrbtgtKey(random, kvno: 1)]);
        await store.AddGroupAsync(TenantId, new DirectoryGroup { ObjectId = GroupId, DisplayName = "File Users", OnPremisesSecurityIdentifier = DomainSid.WithRid(1200) });
        var alice = new DirectoryUser
        {
            ObjectId = Guid.NewGuid(),
            UserPrincipalName = "alice@contoso.com",
            DisplayName = "Alice",
            OnPremises = new OnPremisesIdentity { SamAccountName = "alice", SecurityIdentifier = DomainSid.WithRid(1105), DomainName = "contoso.com" },
            GroupIds = [GroupId],
        };
        await store.AddUserAsync(TenantId, alice);
        var trustKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);
        await store.SetCloudTrustAsync(TenantId, new CloudTrustDomain
        {
            DnsName = "contoso.com",
            RodcNumber = Rodc,
            Keys = [new StoredKey { Key = trustKey, Kvno = KeyVersion }],
            KeyUpdatedOn = DateTimeOffset.UtcNow,
            AllowedGroupSids = CloudTrustDomain.DefaultAllowed(DomainSid),
            DeniedGroupSids = CloudTrustDomain.DefaultDenied(DomainSid),
        });

        var replyKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);
        var outcome = await new PartialTgtIssuer(store, TimeProvider.System, random).IssueAsync(tenant, alice, replyKey);
        Assert.True(outcome.Ticket is not null, outcome.Error);
        return (outcome.Ticket, replyKey, trustKey);
    }
}
