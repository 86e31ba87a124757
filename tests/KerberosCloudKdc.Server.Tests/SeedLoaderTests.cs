using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Server.Tests;

public sealed class SeedLoaderTests
{
    private static readonly Guid DemoTenant = Guid.Parse(DemoSeed.TenantId);

    private static async Task<InMemoryDirectoryStore> LoadAsync(string json)
    {
        var store = new InMemoryDirectoryStore();
        await SeedLoader.LoadAsync(SeedLoader.Parse(json), store, new CountingRandom(), new FixedClock(TestData.Now));
        return store;
    }

    [Fact]
    public async Task Demo_seed_has_hybrid_and_cloud_only_users_groups_and_the_storage_account()
    {
        var store = await TestData.DemoStoreAsync();
        var tenant = await store.GetDefaultTenantAsync();
        Assert.Equal(DemoTenant, tenant!.Id);
        Assert.Equal(["contoso.com"], tenant.VerifiedDomains);
        Assert.Equal("CONTOSO", tenant.OnPremisesDomain!.NetBiosName);
        Assert.Equal(SecurityIdentifier.Parse("S-1-5-21-3623811015-3361044348-30300820"), tenant.OnPremisesDomain.DomainSid);

        var alice = (await store.FindUserAsync(DemoTenant, "ALICE@contoso.com"))!;
        Assert.Equal(SecurityIdentifier.Parse("S-1-5-21-3623811015-3361044348-30300820-1105"), alice.OnPremises!.SecurityIdentifier);
        Assert.Equal("contoso.com", alice.OnPremises.DomainName);
        Assert.Equal(3, alice.GroupIds.Count);
        Assert.Same(alice, await store.FindUserAsync(DemoTenant, "alice"));
        var aes = Assert.Single(alice.Keys);
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, aes.EncryptionType);
        Assert.Equal("KERBEROS.MICROSOFTONLINE.COMalice@contoso.com", aes.Salt);
        Assert.Equal(KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, DemoSeed.AlicePassword, aes.Salt!).Value.ToArray(), aes.Key.Value.ToArray());

        var carol = (await store.FindUserAsync(DemoTenant, DemoSeed.CarolUpn))!;
        Assert.Null(carol.OnPremises);
        var cloudGroup = (await store.FindGroupAsync(DemoTenant, Assert.Single(carol.GroupIds)))!;
        Assert.Null(cloudGroup.OnPremisesSecurityIdentifier);
        Assert.NotNull(await store.FindUserAsync(DemoTenant, DemoSeed.BobUpn));

        var sp = (await store.FindServicePrincipalAsync(DemoTenant, "cifs/demoaccount.file.core.windows.net"))!;
        Assert.Equal("[Storage Account] demoaccount.file.core.windows.net", sp.DisplayName);
        var key = Assert.Single(sp.KeysBySpn["cifs/demoaccount.file.core.windows.net"]);
        Assert.Equal(TestData.Now.AddMonths(6), key.ExpiresOn);
        Assert.Single(await store.GetKrbtgtKeysAsync(DemoTenant));
    }

    [Fact]
    public async Task Storage_account_registers_the_six_spns()
    {
        var store = await TestData.DemoStoreAsync();
        string[] expected =
        [
            "HOST/demoaccount.file.core.windows.net", "CIFS/demoaccount.file.core.windows.net", "HTTP/demoaccount.file.core.windows.net",
            $"api://{DemoSeed.TenantId}/HOST/demoaccount.file.core.windows.net", $"api://{DemoSeed.TenantId}/CIFS/demoaccount.file.core.windows.net",
            $"api://{DemoSeed.TenantId}/HTTP/demoaccount.file.core.windows.net",
        ];
        var sp = (await store.FindServicePrincipalAsync(DemoTenant, "HOST/demoaccount.file.core.windows.net"))!;
        Assert.Equal(expected.Order(), sp.ServicePrincipalNames.Order());
        foreach (var spn in expected)
        {
            Assert.Same(sp, await store.FindServicePrincipalAsync(DemoTenant, spn.ToLowerInvariant()));
            Assert.True(sp.KeysBySpn.ContainsKey(spn.ToLowerInvariant()));
        }
    }

    [Fact]
    public void Sample_demo_file_is_the_embedded_demo()
    {
        var file = File.ReadAllText(TestData.RepositoryFile("samples/demo-seed.json")).ReplaceLineEndings("\n").Trim();
        Assert.Equal(DemoSeed.Json.ReplaceLineEndings("\n").Trim(), file);
    }

    [Fact]
    public async Task Full_example_sample_loads()
    {
        var store = new InMemoryDirectoryStore();
        await SeedLoader.LoadAsync(SeedLoader.ParseFile(TestData.RepositoryFile("samples/seed-example.json")), store, new CountingRandom(), new FixedClock(TestData.Now));
        Assert.Equal(2, (await store.ListTenantsAsync()).Count);
        var fabrikam = (await store.GetDefaultTenantAsync())!;
        Assert.Equal(Guid.Parse("2f9d7b44-5c1e-4a3b-8e6f-90a1b2c3d4e5"), fabrikam.Id);
        Assert.Equal(["CORP.FABRIKAM.COM"], await store.ListInboundTrustsAsync(fabrikam.Id));
        Assert.NotEmpty(await store.GetInboundTrustKeysAsync(fabrikam.Id, "CORP.FABRIKAM.COM"));
        var files = (await store.FindServicePrincipalAsync(fabrikam.Id, "cifs/fabrikamfiles.privatelink.file.core.windows.net"))!;
        Assert.Equal(12, files.ServicePrincipalNames.Count);
        var raw = Assert.Single(files.KeysBySpn["cifs/fabrikamfiles.file.core.windows.net"]);
        Assert.Null(raw.Salt);
        Assert.Equal(2u, raw.Kvno);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), raw.Key.Value.ToArray());
        Assert.Contains(ServicePrincipal.CloudGroupSidsTag, files.Tags);
        var sql = (await store.FindServicePrincipalAsync(fabrikam.Id, "MSSQLSvc/sqlmi.fabrikam.database.windows.net:1433"))!;
        Assert.Empty(sql.KeysBySpn);
        var frank = (await store.FindUserAsync(fabrikam.Id, "frank@fabrikam.onmicrosoft.com"))!;
        Assert.False(frank.AccountEnabled);
        Assert.Empty((await store.FindUserAsync(fabrikam.Id, "grace@fabrikam.com"))!.Keys);
        Assert.NotNull(await store.FindTenantAsync("northwind.example"));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(",\"policy\":{\"cloudOnlyUsersAllowed\":true}", true)]
    [InlineData(",\"policy\":{\"cloudOnlyUsersAllowed\":false}", false)]
    public async Task Cloud_only_users_are_refused_unless_the_policy_allows_them(string policy, bool expected)
    {
        var store = await LoadAsync($"{{\"tenants\":[{{\"id\":\"{DemoSeed.TenantId}\",\"displayName\":\"T\"{policy}}}]}}");

        var tenant = (await store.GetDefaultTenantAsync())!;

        Assert.Equal(expected, tenant.Policy.CloudOnlyUsersAllowed);
    }

    [Fact]
    public async Task Object_ids_are_stable_across_loads()
    {
        var one = (await (await TestData.DemoStoreAsync()).FindUserAsync(DemoTenant, DemoSeed.AliceUpn))!.ObjectId;
        var two = (await (await TestData.DemoStoreAsync()).FindUserAsync(DemoTenant, DemoSeed.AliceUpn))!.ObjectId;
        Assert.Equal(one, two);
    }

    private const string T = "\"id\":\"7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6\",\"displayName\":\"x\",\"verifiedDomains\":[\"contoso.com\"]";
    private const string Dom = "\"onPremisesDomain\":{\"dnsName\":\"contoso.com\",\"netBiosName\":\"CONTOSO\",\"domainSid\":\"S-1-5-21-1-2-3\"}";

    public static TheoryData<string, string> BadSeeds() => new()
    {
        { "{\"tenants\":[]}", "tenants: at least one tenant is required" },
        { $"{{\"tenants\":[{{{T},\"policy\":{{\"tgtLifetime\":\"10675199.00:00:00\"}}}}]}}", "tenants[0].policy.tgtLifetime: must not exceed 365.00:00:00" },
        {
            $"{{\"tenants\":[{{{T},{Dom},\"users\":[{{\"upn\":\"a@contoso.com\",\"onPremises\":{{\"samAccountName\":\"a\",\"rid\":1105}}}},{{\"upn\":\"b@contoso.com\",\"onPremises\":{{\"samAccountName\":\"b\",\"rid\":1105}}}}]}}]}}",
            "tenants[0].users[1].onPremises.securityIdentifier: S-1-5-21-"
        },
        { $"{{\"tenants\":[{{{T},\"servicePrincipals\":[{{\"displayName\":\"x\",\"servicePrincipalNames\":[\"krbtgt/OTHER.REALM\"],\"password\":\"p\"}}]}}]}}", "servicePrincipalNames[0]" },
        { $"{{\"tenants\":[{{{T},\"servicePrincipals\":[{{\"displayName\":\"x\",\"servicePrincipalNames\":[\"cifs/a.b\"],\"password\":\"kk:AAAAAAAAAAAAAAAAAAAAAA==\"}}]}}]}}", "a 16-byte kk: key is AES128-CTS-HMAC-SHA1-96, which the tenant policy does not issue" },
        { "{\"tenant\":[]}", "unknown field 'tenant'" },
        { $"{{\"tenants\":[{{{T},\"bogus\":1}}]}}", "unknown field 'bogus'" },
        { "{\"tenants\":[{\"id\":\"nope\",\"displayName\":\"x\"}]}", "tenants[0].id: not a GUID" },
        { "{\"tenants\":[{\"displayName\":\"x\"}]}", "tenants[0].id: required" },
        { "{\"tenants\":[{", "not valid JSON" },
        { $"{{\"tenants\":[{{{T},\"isDefault\":\"yes\"}}]}}", "tenants[0].isDefault: wrong type or format" },
        {
            $"{{\"tenants\":[{{{T},{Dom},\"users\":[{{\"upn\":\"a@contoso.com\"}},{{\"upn\":\"b@contoso.com\"}},{{\"upn\":\"c@contoso.com\",\"password\":\"Sup3r-Secret!\",\"onPremises\":{{\"samAccountName\":\"c\",\"securityIdentifier\":\"S-1-x\"}}}}]}}]}}",
            "tenants[0].users[2].onPremises.securityIdentifier: not a SID"
        },
        { $"{{\"tenants\":[{{{T},\"users\":[{{\"upn\":\"a@contoso.com\",\"onPremises\":{{\"samAccountName\":\"a\",\"rid\":1105}}}}]}}]}}", "tenants[0].users[0].onPremises.rid: needs the tenant's onPremisesDomain.domainSid" },
        { $"{{\"tenants\":[{{{T},\"users\":[{{\"upn\":\"a@fabrikam.com\"}}]}}]}}", "tenants[0].users[0].upn: domain 'fabrikam.com' is not one of the tenant's verifiedDomains" },
        { $"{{\"tenants\":[{{{T},\"users\":[{{\"upn\":\"a@contoso.com\",\"groups\":[\"Nope\"]}}]}}]}}", "tenants[0].users[0].groups[0]: no group named 'Nope'" },
        { $"{{\"tenants\":[{{{T},\"users\":[{{\"upn\":\"a@contoso.com\"}},{{\"upn\":\"A@contoso.com\"}}]}}]}}", "tenants[0].users[1].upn: duplicate user" },
        { $"{{\"tenants\":[{{{T},\"groups\":[{{\"name\":\"g\",\"onPremisesSecurityIdentifier\":\"S-1-5-21-1-2-3-4\",\"rid\":600}}]}}]}}", "tenants[0].groups[0].onPremisesSecurityIdentifier: give either a SID or a rid" },
        { $"{{\"tenants\":[{{{T},\"onPremisesDomain\":{{\"dnsName\":\"contoso.com\",\"netBiosName\":\"CONTOSO\",\"domainSid\":\"S-1-5-32-544\"}}}}]}}", "tenants[0].onPremisesDomain.domainSid: not a domain SID" },
        { $"{{\"tenants\":[{{{T},\"policy\":{{\"tgtLifetime\":\"ten hours\"}}}}]}}", "tenants[0].policy.tgtLifetime: not a duration" },
        { $"{{\"tenants\":[{{{T},\"policy\":{{\"encryptionTypes\":[23]}}}}]}}", "tenants[0].policy.encryptionTypes[0]: not a supported etype" },
        { $"{{\"tenants\":[{{{T},\"servicePrincipals\":[{{\"displayName\":\"a\",\"servicePrincipalNames\":[\"HTTP/web.contoso.com\"]}},{{\"displayName\":\"b\",\"servicePrincipalNames\":[\"http/WEB.contoso.com\"]}}]}}]}}", "tenants[0].servicePrincipals[1].servicePrincipalNames[0]: 'http/WEB.contoso.com' is already registered by tenants[0].servicePrincipals[0]" },
        { $"{{\"tenants\":[{{{T},\"servicePrincipals\":[{{\"displayName\":\"a\",\"servicePrincipalNames\":[\"no spaces/allowed here\"]}}]}}]}}", "tenants[0].servicePrincipals[0].servicePrincipalNames[0]: not an SPN" },
        { $"{{\"tenants\":[{{{T},\"servicePrincipals\":[{{\"displayName\":\"a\",\"servicePrincipalNames\":[\"HTTP/x.contoso.com\"],\"password\":\"kk:AAAA\"}}]}}]}}", "tenants[0].servicePrincipals[0].password: a kk: key must be base64 of 16 or 32 bytes" },
        { $"{{\"tenants\":[{{{T},\"servicePrincipals\":[{{\"displayName\":\"a\",\"servicePrincipalNames\":[\"HTTP/x.contoso.com\"],\"kvno\":0}}]}}]}}", "tenants[0].servicePrincipals[0].kvno: must be at least 1" },
        { $"{{\"tenants\":[{{{T},\"storageAccounts\":[{{\"name\":\"Bad_Name\",\"password\":\"p\"}}]}}]}}", "tenants[0].storageAccounts[0].name: not a storage account name" },
        { $"{{\"tenants\":[{{{T},\"storageAccounts\":[{{\"name\":\"files1\"}}]}}]}}", "tenants[0].storageAccounts[0].password: required" },
        { $"{{\"tenants\":[{{{T},\"storageAccounts\":[{{\"name\":\"files1\",\"password\":\"p\"}},{{\"name\":\"files1\",\"password\":\"p\"}}]}}]}}", "tenants[0].storageAccounts[1].name: SPN 'HOST/files1.file.core.windows.net' is already registered" },
        { $"{{\"tenants\":[{{{T},\"isDefault\":true}},{{\"id\":\"9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a\",\"displayName\":\"y\",\"isDefault\":true}}]}}", "tenants[1].isDefault: only one tenant can be the default" },
        { $"{{\"tenants\":[{{{T}}},{{{T}}}]}}", "tenants[1].id: duplicate tenant id" },
        { $"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"realm\":\"CONTOSO.LAB\"}}]}}]}}", "tenants[0].inboundTrusts[0].password: required" },
        { $"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"password\":\"p\"}}]}}]}}", "tenants[0].inboundTrusts[0].realm: required" },
        { $"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"realm\":\"kerberos.microsoftonline.com\",\"password\":\"p\"}}]}}]}}", "tenants[0].inboundTrusts[0].realm: a tenant cannot trust its own realm" },
        { $"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"realm\":\"CONTOSO.LAB\",\"password\":\"p\"}},{{\"realm\":\"contoso.lab\",\"password\":\"p\"}}]}}]}}", "tenants[0].inboundTrusts[1].realm: duplicate realm" },
        { $"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"realm\":\"CONTOSO.LAB\",\"password\":\"kk:AAAA\"}}]}}]}}", "tenants[0].inboundTrusts[0].password: a kk: key must be base64 of 16 or 32 bytes" },
        { $"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"realm\":\"CONTOSO.LAB\",\"password\":\"Sup3r-Secret!\",\"kvno\":0}}]}}]}}", "tenants[0].inboundTrusts[0].kvno: must be at least 1" },
    };

    [Fact]
    public async Task Inbound_trust_keys_are_derived_with_the_MIT_salt_of_the_trust_principal()
    {
        var store = await LoadAsync($"{{\"tenants\":[{{{T},\"inboundTrusts\":[{{\"realm\":\"contoso.lab\",\"password\":\"trust-pw\",\"kvno\":3}},{{\"realm\":\"FABRIKAM.LAB\",\"password\":\"kk:{Convert.ToBase64String(new byte[32])}\"}}]}}]}}");
        var tenant = Guid.Parse("7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6");
        Assert.Equal(["CONTOSO.LAB", "FABRIKAM.LAB"], await store.ListInboundTrustsAsync(tenant));

        var keys = await store.GetInboundTrustKeysAsync(tenant, "CONTOSO.LAB");
        Assert.Equal([EncryptionType.Aes256CtsHmacSha196, EncryptionType.Aes128CtsHmacSha196], keys.Select(k => k.EncryptionType));
        Assert.All(keys, k => Assert.Equal(3u, k.Kvno));
        Assert.All(keys, k => Assert.Equal("CONTOSO.LABkrbtgtKERBEROS.MICROSOFTONLINE.COM", k.Salt));
        Assert.Equal(
            KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, "trust-pw", "CONTOSO.LABkrbtgtKERBEROS.MICROSOFTONLINE.COM").Value.ToArray(),
            keys[0].Key.Value.ToArray());

        var raw = Assert.Single(await store.GetInboundTrustKeysAsync(tenant, "fabrikam.lab"));
        Assert.Equal(1u, raw.Kvno);
        Assert.Equal(new byte[32], raw.Key.Value.ToArray());
    }

    [Theory]
    [MemberData(nameof(BadSeeds))]
    public async Task Bad_seed_is_refused_naming_the_field(string json, string expected)
    {
        var error = await Assert.ThrowsAsync<SeedException>(() => LoadAsync(json));
        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-Secret!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_seed_leaves_the_store_untouched()
    {
        var store = new InMemoryDirectoryStore();
        var seed = SeedLoader.Parse($"{{\"tenants\":[{{{T},\"users\":[{{\"upn\":\"a@contoso.com\",\"groups\":[\"Nope\"]}}]}}]}}");
        await Assert.ThrowsAsync<SeedException>(() => SeedLoader.LoadAsync(seed, store, new CountingRandom(), new FixedClock(TestData.Now)));
        Assert.Empty(await store.ListTenantsAsync());
    }

    [Fact]
    public async Task All_errors_are_reported_at_once()
    {
        var error = await Assert.ThrowsAsync<SeedException>(() => LoadAsync("{\"tenants\":[{\"id\":\"x\",\"verifiedDomains\":[\"not a domain\"]}]}"));
        Assert.Equal(3, error.Errors.Count); // id, displayName, verifiedDomains[0]
    }

    [Fact]
    public async Task Seeding_twice_is_idempotent_and_keeps_admin_changes()
    {
        var store = await TestData.DemoStoreAsync();
        var alice = (await store.FindUserAsync(DemoTenant, DemoSeed.AliceUpn))!;
        await store.UpdateUserAsync(DemoTenant, alice with { DisplayName = "Changed by the admin API" });
        var krbtgt = await store.GetKrbtgtKeysAsync(DemoTenant);

        var added = await SeedLoader.LoadAsync(DemoSeed.Parse(), store, new CountingRandom(), new FixedClock(TestData.Now));

        Assert.Empty(added);
        Assert.Equal("Changed by the admin API", (await store.FindUserAsync(DemoTenant, DemoSeed.AliceUpn))!.DisplayName);
        Assert.Same(krbtgt, await store.GetKrbtgtKeysAsync(DemoTenant));
        Assert.Single(await store.ListTenantsAsync());
    }

    [Fact]
    public void Missing_seed_file_is_refused()
    {
        var error = Assert.Throws<SeedException>(() => SeedLoader.ParseFile("/definitely/not/here.json"));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
