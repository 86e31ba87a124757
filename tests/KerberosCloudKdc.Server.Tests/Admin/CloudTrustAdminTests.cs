using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Tests.Admin;

/// <summary>/{tenant}/v1.0/kerberosServers: the cloud Kerberos trust admin API (facts §4.1, §4.6).</summary>
public sealed class CloudTrustAdminTests : IDisposable
{
    private const string Domain = "lab.contoso.com";
    private const string DomainSid = "S-1-5-21-3623811015-3361044348-30300820";
    private static readonly byte[] RawKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
    private readonly AdminFactory factory = new();
    private readonly HttpClient admin;

    public CloudTrustAdminTests() => admin = factory.Admin();

    public void Dispose()
    {
        admin.Dispose();
        factory.Dispose();
    }

    private static string Path(string rest = "") => Http.Url("kerberosServers/" + Domain + rest);

    private static string KeyBody(uint keyVersion = 192272) =>
        $$"""{"rodcNumber": 9898, "key": "kk:{{Convert.ToBase64String(RawKey)}}", "keyVersion": {{keyVersion}}}""";

    private async Task<JsonElement> PutAsync(string body, HttpStatusCode expected)
    {
        using var response = await admin.PutAsync(Path(), Http.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        Assert.Equal(status, response.StatusCode);
        var message = (await response.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains(messagePart, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_creates_a_trust_shown_like_Get_AzureADKerberosServer_with_default_lists_and_no_key()
    {
        var created = await PutAsync(KeyBody(), HttpStatusCode.Created);

        Assert.Equal(9898, created.GetProperty("Id").GetInt32());
        Assert.Equal(Domain, created.GetProperty("DomainDnsName").GetString());
        Assert.Equal("CN=AzureADKerberos,OU=Domain Controllers,DC=lab,DC=contoso,DC=com", created.GetProperty("ComputerAccount").GetString());
        Assert.Equal("CN=krbtgt_AzureAD,CN=Users,DC=lab,DC=contoso,DC=com", created.GetProperty("UserAccount").GetString());
        Assert.Equal(192272, created.GetProperty("KeyVersion").GetInt64());
        Assert.Equal(192272, created.GetProperty("CloudKeyVersion").GetInt64());
        Assert.Equal("2026-01-15T12:00:00Z", created.GetProperty("KeyUpdatedOn").GetString());
        Assert.Equal("cloudkdc", created.GetProperty("KeyUpdatedFrom").GetString());
        Assert.Equal((9898L << 16) | (192272 & 0xFFFF), created.GetProperty("TicketKvno").GetInt64());
        var allowed = created.GetProperty("AllowedGroups").EnumerateArray().Select(e => e.GetString()).ToList();
        var denied = created.GetProperty("DeniedGroups").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(DomainSid + "-513", allowed);
        Assert.Contains(DomainSid + "-512", denied);
        Assert.Contains("S-1-5-32-544", denied);

        using var list = await admin.GetAsync(Http.Url("kerberosServers"));
        var listText = await list.Content.ReadAsStringAsync();
        Assert.Contains(JsonDocument.Parse(listText).RootElement.GetProperty("value").EnumerateArray(), t => t.GetProperty("DomainDnsName").GetString() == Domain);
        using var one = await admin.GetAsync(Http.Url("kerberosServers/LAB.Contoso.COM"));
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);

        // No key material anywhere in what GET shows.
        foreach (var text in new[] { listText, oneText, created.GetRawText() })
        {
            Assert.DoesNotContain(Convert.ToBase64String(RawKey), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(RawKey), text, StringComparison.OrdinalIgnoreCase);
        }

        // PUT again replaces: 200, explicit lists win over the defaults.
        var replaced = await PutAsync($$"""{"rodcNumber": 9898, "password": "Lab-Passw0rd!", "allowedGroups": ["{{DomainSid}}-1200"], "deniedGroups": []}""", HttpStatusCode.OK);
        Assert.Equal(192273, replaced.GetProperty("KeyVersion").GetInt64());
        Assert.Equal([DomainSid + "-1200"], replaced.GetProperty("AllowedGroups").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(replaced.GetProperty("DeniedGroups").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"key": "kk:AAAA"}""", "rodcNumber: required")]
    [InlineData("""{"rodcNumber": 0, "password": "x"}""", "rodcNumber: must be a whole number")]
    [InlineData("""{"rodcNumber": 65536, "password": "x"}""", "rodcNumber: must be a whole number")]
    [InlineData("""{"rodcNumber": "12", "password": "x"}""", "rodcNumber: must be a whole number")]
    [InlineData("""{"rodcNumber": 12}""", "password: give exactly one of password or key")]
    [InlineData("""{"rodcNumber": 12, "password": "x", "key": "kk:AAAA"}""", "password: give exactly one of password or key")]
    [InlineData("""{"rodcNumber": 12, "key": "kk:AAAA"}""", "key: must be 32 bytes")]
    [InlineData("""{"rodcNumber": 12, "key": "not-a-key"}""", "key: must be \"kk:\"")]
    [InlineData("""{"rodcNumber": 12, "password": "x", "keyVersion": -1}""", "keyVersion: must be a whole number")]
    [InlineData("""{"rodcNumber": 12, "password": "x", "keyVersion": 4294967295}""", "keyVersion: must be a whole number")]
    [InlineData("""{"rodcNumber": 12, "password": "x", "deniedGroups": ["S-1-5-21-1-2-3-512", "Domain Admins"]}""", "deniedGroups[1]: not a SID")]
    [InlineData("""{"rodcNumber": 12, "password": "x", "allowedGroups": "S-1-5-21-1-2-3-513"}""", "allowedGroups: must be an array")]
    [InlineData("""{"rodcNumber": 12, "password": "x", "colour": "blue"}""", "colour: unknown property")]
    public async Task Bad_input_is_400_naming_the_field_and_stores_nothing(string body, string expected)
    {
        using var response = await admin.PutAsync(Path(), Http.Json(body));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, expected);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Path())).StatusCode);
    }

    [Fact]
    public async Task Rotation_never_wraps_the_key_version_onto_one_in_use()
    {
        await PutAsync(KeyBody(int.MaxValue), HttpStatusCode.Created);
        await AssertErrorAsync(await admin.PostAsync(Path("/rotate?force=true"), null), HttpStatusCode.BadRequest, "keyVersion: the key version is exhausted");
        var unchanged = await (await admin.GetAsync(Path())).ReadJsonAsync();
        Assert.Equal(int.MaxValue, unchanged.GetProperty("KeyVersion").GetInt64());
    }

    [Fact]
    public async Task Bad_domain_is_400_and_unknown_domain_is_404()
    {
        await AssertErrorAsync(await admin.PutAsync(Http.Url("kerberosServers/not_a_domain"), Http.Json(KeyBody())), HttpStatusCode.BadRequest, "domain:");
        await AssertErrorAsync(await admin.GetAsync(Http.Url("kerberosServers/nowhere.example")), HttpStatusCode.NotFound, "domain: no cloud trust");
        await AssertErrorAsync(await admin.PostAsync(Http.Url("kerberosServers/nowhere.example/rotate?force=true"), null), HttpStatusCode.NotFound, "no cloud trust");
        await AssertErrorAsync(await admin.GetAsync(Http.Url("kerberosServers/nowhere.example/keytab")), HttpStatusCode.NotFound, "no cloud trust");
        await AssertErrorAsync(await admin.DeleteAsync(Http.Url("kerberosServers/nowhere.example")), HttpStatusCode.NotFound, "no cloud trust");
    }

    [Fact]
    public async Task Without_a_key_it_is_401_and_a_foreign_tenant_key_is_403()
    {
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync(Path(), Http.Json(KeyBody()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Http.Url("kerberosServers"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Path("/keytab"))).StatusCode);

        using var scoped = new AdminFactory().WithWebHostBuilder(b => b.UseSetting("CloudKdc:TenantAdminApiKeys:0badc0de-0000-4000-8000-000000000001", "other-tenant-key-0123456789abcdef"));
        using var other = scoped.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "other-tenant-key-0123456789abcdef");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PutAsync(Path(), Http.Json(KeyBody()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(Path("/keytab"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Path())).StatusCode);
    }

    [Fact]
    public async Task Rotation_is_refused_within_24_hours_unless_forced_and_keeps_the_previous_key()
    {
        await PutAsync(KeyBody(), HttpStatusCode.Created);
        await AssertErrorAsync(await admin.PostAsync(Path("/rotate"), null), HttpStatusCode.BadRequest, "force:");
        await AssertErrorAsync(await admin.PostAsync(Path("/rotate?force=maybe"), null), HttpStatusCode.BadRequest, "force:");

        using var forced = await admin.PostAsync(Path("/rotate?force=true"), null);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var rotated = await forced.ReadJsonAsync();
        Assert.Equal(192273, rotated.GetProperty("KeyVersion").GetInt64());
        Assert.Equal([192273L, 192272L], rotated.GetProperty("KeyVersions").EnumerateArray().Select(e => e.GetInt64()));

        factory.Clock.Now = factory.Clock.Now.AddHours(25);
        using var later = await admin.PostAsync(Path("/rotate"), null);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal([192274L, 192273L], (await later.ReadJsonAsync()).GetProperty("KeyVersions").EnumerateArray().Select(e => e.GetInt64()));

        // The keytab now holds the two newest keys, neither of them the raw key set first.
        var keytab = KeytabFile.Parse(await admin.GetByteArrayAsync(Path("/keytab")));
        Assert.Equal(4, keytab.Entries.Count);
        Assert.DoesNotContain(keytab.Entries, e => e.Key.Value.ToArray().SequenceEqual(RawKey));
        Assert.Equal([(9898u << 16) | (192274 & 0xFFFF), (9898u << 16) | (192273 & 0xFFFF)], keytab.Entries.Select(e => e.Kvno).Distinct());
    }

    [Fact]
    public async Task Keytab_has_krbtgt_and_krbtgt_N_under_the_rodc_kvno_and_delete_removes_the_trust()
    {
        await PutAsync(KeyBody(), HttpStatusCode.Created);
        using var response = await admin.GetAsync(Path("/keytab"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keytab = KeytabFile.Parse(await response.Content.ReadAsByteArrayAsync());

        var expectedKvno = (9898u << 16) | (192272 & 0xFFFF);
        Assert.Equal(2, keytab.Entries.Count);
        Assert.All(keytab.Entries, e =>
        {
            Assert.Equal("LAB.CONTOSO.COM", e.Realm);
            Assert.Equal(expectedKvno, e.Kvno);
            Assert.Equal(EncryptionType.Aes256CtsHmacSha196, e.Key.EncryptionType);
            Assert.Equal(RawKey, e.Key.Value.ToArray());
        });
        Assert.Contains(keytab.Entries, e => e.Principal.Equals(PrincipalName.Krbtgt("LAB.CONTOSO.COM")));
        Assert.Contains(keytab.Entries, e => e.Principal.Equals(new PrincipalName(PrincipalNameType.Principal, "krbtgt_9898")));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Path())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Path())).StatusCode);
    }

    [Fact]
    public void Password_keys_use_the_AD_salt_of_the_krbtgt_N_account()
    {
        var key = KerberosCloudKdc.Server.Admin.CloudTrustAdministration.PasswordKey("Lab-Passw0rd!", "lab.contoso.com", 9898, 5);
        Assert.Equal("LAB.CONTOSO.COMkrbtgt_9898", key.Salt);
        Assert.Equal(
            KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, "Lab-Passw0rd!", "LAB.CONTOSO.COMkrbtgt_9898").Value.ToArray(),
            key.Key.Value.ToArray());
    }
}
