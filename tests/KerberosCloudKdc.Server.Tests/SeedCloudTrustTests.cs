using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Server.Tests;

/// <summary>The seed's cloudTrust member (facts §4.1, §4.5).</summary>
public sealed class SeedCloudTrustTests
{
    private const string T = "\"id\":\"7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6\",\"displayName\":\"x\"";
    private const string Dom = "\"onPremisesDomain\":{\"dnsName\":\"contoso.com\",\"netBiosName\":\"CONTOSO\",\"domainSid\":\"S-1-5-21-1-2-3\"}";
    private static readonly Guid Tenant = Guid.Parse("7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6");

    private static async Task<InMemoryDirectoryStore> LoadAsync(string json)
    {
        var store = new InMemoryDirectoryStore();
        await SeedLoader.LoadAsync(SeedLoader.Parse(json), store, new CountingRandom(), new FixedClock(TestData.Now));
        return store;
    }

    [Fact]
    public async Task Demo_tenant_has_a_cloud_trust_for_its_on_premises_domain_with_the_default_lists()
    {
        var store = await TestData.DemoStoreAsync();
        var trust = (await store.GetCloudTrustAsync(Guid.Parse(DemoSeed.TenantId), DemoSeed.CloudTrustDomain))!;
        var domainSid = SecurityIdentifier.Parse("S-1-5-21-3623811015-3361044348-30300820");

        Assert.Equal(DemoSeed.CloudTrustRodcNumber, trust.RodcNumber);
        var key = Assert.Single(trust.Keys);
        Assert.Equal(1u, key.Kvno);
        Assert.Equal("CONTOSO.COMkrbtgt_9898", key.Salt);
        Assert.Equal(KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, DemoSeed.CloudTrustPassword, "CONTOSO.COMkrbtgt_9898").Value.ToArray(), key.Key.Value.ToArray());
        Assert.Equal(CloudTrustDomain.DefaultAllowed(domainSid), trust.AllowedGroupSids);
        Assert.Equal(CloudTrustDomain.DefaultDenied(domainSid), trust.DeniedGroupSids);
        Assert.Equal(TestData.Now, trust.KeyUpdatedOn);
    }

    [Fact]
    public async Task Seed_example_trust_issues_for_an_engineer_and_refuses_the_domain_admin()
    {
        var store = new InMemoryDirectoryStore();
        await SeedLoader.LoadAsync(SeedLoader.ParseFile(TestData.RepositoryFile("samples/seed-example.json")), store, new CountingRandom(), new FixedClock(TestData.Now));
        var fabrikam = (await store.GetDefaultTenantAsync())!;
        var trust = (await store.GetCloudTrustAsync(fabrikam.Id, "CORP.FABRIKAM.COM"))!;
        Assert.Equal(192272u, trust.Keys[0].Kvno);
        Assert.Null(trust.Keys[0].Salt);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), trust.Keys[0].Key.Value.ToArray());
        Assert.Equal(3, trust.DeniedGroupSids.Count);

        var issuer = new PartialTgtIssuer(store, new FixedClock(TestData.Now), new CountingRandom());
        var replyKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new CountingRandom());
        var dana = await issuer.IssueAsync(fabrikam, (await store.FindUserAsync(fabrikam.Id, "dana"))!, replyKey);
        var erin = await issuer.IssueAsync(fabrikam, (await store.FindUserAsync(fabrikam.Id, "erin"))!, replyKey);

        Assert.True(dana.Ticket is not null, dana.Error);
        Assert.Equal((4242u << 16) | (192272 & 0xFFFF), dana.Ticket.Reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Null(erin.Ticket);
        Assert.Contains("denied by the replication policy (Domain Admins", erin.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"password\":\"p\"}", false, "tenants[0].cloudTrust: needs the tenant's onPremisesDomain")]
    [InlineData("{\"rodcNumber\":1,\"password\":\"p\"}", true, "tenants[0].cloudTrust.domain: required")]
    [InlineData("{\"domain\":\"not a domain\",\"rodcNumber\":1,\"password\":\"p\"}", true, "tenants[0].cloudTrust.domain: not a DNS name")]
    [InlineData("{\"domain\":\"contoso.com\",\"password\":\"p\"}", true, "tenants[0].cloudTrust.rodcNumber: required")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":70000,\"password\":\"p\"}", true, "tenants[0].cloudTrust.rodcNumber: must be 1-65535")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1}", true, "tenants[0].cloudTrust.password: give exactly one of password or key")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"password\":\"Sup3r-Secret!\",\"key\":\"kk:AAAA\"}", true, "tenants[0].cloudTrust.password: give exactly one of password or key")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"key\":\"kk:AAAA\"}", true, "tenants[0].cloudTrust.key: must be 32 bytes")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"password\":\"Sup3r-Secret!\",\"keyVersion\":0}", true, "tenants[0].cloudTrust.keyVersion: must be 1-2147483647")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"password\":\"Sup3r-Secret!\",\"keyVersion\":4294967295}", true, "tenants[0].cloudTrust.keyVersion: must be 1-2147483647")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"password\":\"Sup3r-Secret!\",\"deniedGroups\":[\"Domain Admins\"]}", true, "tenants[0].cloudTrust.deniedGroups[0]: not a SID")]
    [InlineData("{\"domain\":\"contoso.com\",\"rodcNumber\":1,\"password\":\"Sup3r-Secret!\",\"colour\":1}", true, "unknown field 'colour'")]
    public async Task Bad_cloud_trust_is_refused_naming_the_field(string trust, bool hybrid, string expected)
    {
        var json = $"{{\"tenants\":[{{{T}{(hybrid ? "," + Dom : string.Empty)},\"cloudTrust\":{trust}}}]}}";
        var error = await Assert.ThrowsAsync<SeedException>(() => LoadAsync(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-Secret!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explicit_lists_replace_the_defaults()
    {
        var store = await LoadAsync($"{{\"tenants\":[{{{T},{Dom},\"cloudTrust\":{{\"domain\":\"Contoso.com\",\"rodcNumber\":7,\"password\":\"p\",\"keyVersion\":3,\"allowedGroups\":[\"S-1-5-21-1-2-3-1200\"],\"deniedGroups\":[]}}}}]}}");
        var trust = (await store.GetCloudTrustAsync(Tenant, "contoso.com"))!;
        Assert.Equal("contoso.com", trust.DnsName);
        Assert.Equal([SecurityIdentifier.Parse("S-1-5-21-1-2-3-1200")], trust.AllowedGroupSids);
        Assert.Empty(trust.DeniedGroupSids);
        Assert.Equal(3u, trust.Keys[0].Kvno);
    }
}
