using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Tests.Admin;

public sealed class AdminApiTests : IDisposable
{
    private const string Web = "HTTP/web.contoso.com";
    private readonly AdminFactory factory = new();
    private readonly HttpClient admin;

    public AdminApiTests() => admin = factory.Admin();

    public void Dispose()
    {
        admin.Dispose();
        factory.Dispose();
    }

    private async Task<int> UserCountAsync() =>
        (await (await admin.GetAsync(Http.Url("users"))).ReadJsonAsync()).GetProperty("value").GetArrayLength();

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string messagePart)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CreateAsync(string path, string json)
    {
        using var response = await admin.PostAsync(Http.Url(path), Http.Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task No_key_or_a_wrong_key_is_401_and_changes_nothing()
    {
        var before = await UserCountAsync();
        using var anonymous = factory.CreateClient();
        const string body = "{\"userPrincipalName\":\"eve@contoso.com\",\"displayName\":\"Eve\"}";
        await AssertErrorAsync(await anonymous.PostAsync(Http.Url("users"), Http.Json(body)), HttpStatusCode.Unauthorized, "missing or invalid");

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminFactory.Key + "x");
        await AssertErrorAsync(await anonymous.PostAsync(Http.Url("users"), Http.Json(body)), HttpStatusCode.Unauthorized, "missing or invalid");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", AdminFactory.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Http.Url("users"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Http.Url("emulator/krbtgt/rotate"), null)).StatusCode);

        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Unknown_tenant_is_404_and_the_domain_works_as_tenant()
    {
        await AssertErrorAsync(await admin.GetAsync("/00000000-0000-0000-0000-000000000001/v1.0/users"), HttpStatusCode.NotFound, "tenant");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/contoso.com/v1.0/users")).StatusCode);
    }

    [Fact]
    public async Task Users_round_trip_without_echoing_the_password()
    {
        using var created = await admin.PostAsync(Http.Url("users"), Http.Json("""
            {"userPrincipalName":"erin@contoso.com","displayName":"Erin","passwordProfile":{"password":"Erin-Pass-123"},
             "onPremisesSamAccountName":"erin","onPremisesSecurityIdentifier":"S-1-5-21-3623811015-3361044348-30300820-1200"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var text = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Erin-Pass-123", text, StringComparison.Ordinal);
        var user = JsonDocument.Parse(text).RootElement;
        var id = user.GetProperty("id").GetString();
        Assert.True(user.GetProperty("onPremisesSyncEnabled").GetBoolean());
        Assert.Equal("contoso.com", user.GetProperty("onPremisesDomainName").GetString());

        var fetched = await (await admin.GetAsync(Http.Url($"users/{id}"))).ReadJsonAsync();
        Assert.Equal("erin@contoso.com", fetched.GetProperty("userPrincipalName").GetString());
        Assert.Equal("erin", fetched.GetProperty("onPremisesSamAccountName").GetString());

        // The password works: a real AS exchange through /{tenant}/kerberos.
        using var kdc = factory.CreateClient();
        await KerberosClient.LoginAsync(kdc, "erin@contoso.com", "Erin-Pass-123", factory.Clock.Now);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(Http.Url($"users/{id}"), Http.Json("{\"displayName\":\"Erin B\",\"accountEnabled\":false}"))).StatusCode);
        fetched = await (await admin.GetAsync(Http.Url($"users/{id}"))).ReadJsonAsync();
        Assert.Equal("Erin B", fetched.GetProperty("displayName").GetString());
        Assert.False(fetched.GetProperty("accountEnabled").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Http.Url($"users/{id}"))).StatusCode);
        await AssertErrorAsync(await admin.GetAsync(Http.Url($"users/{id}")), HttpStatusCode.NotFound, "no user");
        await AssertErrorAsync(await admin.DeleteAsync(Http.Url($"users/{id}")), HttpStatusCode.NotFound, "no user");
    }

    [Theory]
    [InlineData("{\"userPrincipalName\":\"eve@fabrikam.com\"}", "userPrincipalName: must be user@verified-domain")]
    [InlineData("{\"displayName\":\"no upn\"}", "userPrincipalName: required")]
    [InlineData("{\"userPrincipalName\":\"eve@contoso.com\",\"mail\":\"x\"}", "mail: unknown property")]
    [InlineData("{\"userPrincipalName\":\"eve@contoso.com\",\"id\":\"x\"}", "id: read-only")]
    [InlineData("{\"userPrincipalName\":\"eve@contoso.com\",\"accountEnabled\":\"yes\"}", "accountEnabled: must be true or false")]
    [InlineData("{\"userPrincipalName\":\"eve@contoso.com\",\"onPremisesSamAccountName\":\"eve\"}", "onPremisesSecurityIdentifier: required for a synced")]
    [InlineData("{\"userPrincipalName\":\"eve@contoso.com\",\"passwordProfile\":{}}", "passwordProfile.password: required")]
    [InlineData("[1]", "body: must be a JSON object")]
    [InlineData("{", "body: not valid JSON")]
    public async Task Bad_user_input_is_400_naming_the_field_and_changes_nothing(string body, string expected)
    {
        var before = await UserCountAsync();
        await AssertErrorAsync(await admin.PostAsync(Http.Url("users"), Http.Json(body)), HttpStatusCode.BadRequest, expected);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Oversized_body_is_refused()
    {
        var body = "{\"userPrincipalName\":\"eve@contoso.com\",\"displayName\":\"" + new string('a', 70_000) + "\"}";
        var response = await admin.PostAsync(Http.Url("users"), Http.Json(body));
        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Duplicate_upn_and_spn_are_409_and_change_nothing()
    {
        var before = await UserCountAsync();
        await AssertErrorAsync(
            await admin.PostAsync(Http.Url("users"), Http.Json($"{{\"userPrincipalName\":\"{DemoSeed.AliceUpn.ToUpperInvariant()}\"}}")),
            HttpStatusCode.Conflict, "userPrincipalName");
        Assert.Equal(before, await UserCountAsync());

        var sps = (await (await admin.GetAsync(Http.Url("servicePrincipals"))).ReadJsonAsync()).GetProperty("value").GetArrayLength();
        await AssertErrorAsync(
            await admin.PostAsync(Http.Url("servicePrincipals"), Http.Json("{\"displayName\":\"dup\",\"servicePrincipalNames\":[\"cifs/DEMOACCOUNT.file.core.windows.net\"]}")),
            HttpStatusCode.Conflict, "servicePrincipalNames");
        Assert.Equal(sps, (await (await admin.GetAsync(Http.Url("servicePrincipals"))).ReadJsonAsync()).GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Groups_and_members()
    {
        var groupId = await CreateAsync("groups", "{\"displayName\":\"Engineers\",\"onPremisesSecurityIdentifier\":\"S-1-5-21-1-2-3-4000\"}");
        var group = await (await admin.GetAsync(Http.Url($"groups/{groupId}"))).ReadJsonAsync();
        Assert.StartsWith("S-1-12-1-", group.GetProperty("securityIdentifier").GetString(), StringComparison.Ordinal);
        Assert.Equal("S-1-5-21-1-2-3-4000", group.GetProperty("onPremisesSecurityIdentifier").GetString());
        await AssertErrorAsync(await admin.PatchAsync(Http.Url($"groups/{groupId}"), Http.Json("{\"securityIdentifier\":\"S-1-1-0\"}")), HttpStatusCode.BadRequest, "securityIdentifier: read-only");

        var userId = await CreateAsync("users", "{\"userPrincipalName\":\"frank@contoso.com\"}");
        var reference = $"{{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/{userId}\"}}";
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync(Http.Url($"groups/{groupId}/members/$ref"), Http.Json(reference))).StatusCode);
        await AssertErrorAsync(await admin.PostAsync(Http.Url($"groups/{groupId}/members/$ref"), Http.Json($"{{\"id\":\"{userId}\"}}")), HttpStatusCode.BadRequest, "already a member");

        var members = (await (await admin.GetAsync(Http.Url($"groups/{groupId}/members"))).ReadJsonAsync()).GetProperty("value");
        Assert.Equal(userId, Assert.Single(members.EnumerateArray()).GetProperty("id").GetString());
        var memberOf = (await (await admin.GetAsync(Http.Url($"users/{userId}/memberOf"))).ReadJsonAsync()).GetProperty("value");
        Assert.Equal(groupId, Assert.Single(memberOf.EnumerateArray()).GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Http.Url($"groups/{groupId}/members/{userId}/$ref"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(Http.Url($"groups/{groupId}/members/{userId}/$ref"))).StatusCode);
        Assert.Equal(0, (await (await admin.GetAsync(Http.Url($"groups/{groupId}/members"))).ReadJsonAsync()).GetProperty("value").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Http.Url($"groups/{groupId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Http.Url($"groups/{groupId}"))).StatusCode);
    }

    [Fact]
    public async Task AddPassword_returns_the_secret_once_bumps_kvno_and_keeps_old_keys()
    {
        var id = await CreateAsync("servicePrincipals", $"{{\"displayName\":\"web\",\"servicePrincipalNames\":[\"{Web}\"],\"tags\":[\"t1\"]}}");
        Assert.Equal(0, (await (await admin.GetAsync(Http.Url($"servicePrincipals/{id}/kerberosKeys"))).ReadJsonAsync()).GetProperty("value").GetArrayLength());

        var first = await (await admin.PostAsync(Http.Url($"servicePrincipals/{id}/addPassword"), Http.Json("{\"passwordCredential\":{\"displayName\":\"one\"}}"))).ReadJsonAsync();
        var secret = first.GetProperty("secretText").GetString()!;
        Assert.True(secret.Length >= 32);
        Assert.Equal(GraphTime(TestData.Now.AddMonths(6)), first.GetProperty("endDateTime").GetString());
        Assert.True(Guid.TryParse(first.GetProperty("keyId").GetString(), out _));

        var end = TestData.Now.AddDays(30);
        var second = await (await admin.PostAsync(Http.Url($"servicePrincipals/{id}/addPassword"), Http.Json($"{{\"passwordCredential\":{{\"endDateTime\":\"{GraphTime(end)}\"}}}}"))).ReadJsonAsync();
        Assert.NotEqual(secret, second.GetProperty("secretText").GetString());

        var keysText = await (await admin.GetAsync(Http.Url($"servicePrincipals/{id}/kerberosKeys"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, keysText, StringComparison.Ordinal);
        var keys = JsonDocument.Parse(keysText).RootElement.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal([2u, 1u], keys.Select(k => k.GetProperty("kvno").GetUInt32()));
        Assert.All(keys, k =>
        {
            Assert.Equal(["encryptionType", "expiresOn", "kvno", "spn"], k.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("http/web.contoso.com", k.GetProperty("spn").GetString());
            Assert.Equal("aes256-cts-hmac-sha1-96", k.GetProperty("encryptionType").GetString());
        });
        Assert.Equal(GraphTime(end), keys[0].GetProperty("expiresOn").GetString());

        var sp = await admin.GetAsync(Http.Url($"servicePrincipals/{id}"));
        Assert.DoesNotContain(secret, await sp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertErrorAsync(await admin.PostAsync(Http.Url($"servicePrincipals/{id}/addPassword"), Http.Json("{\"passwordCredential\":{\"endDateTime\":\"2000-01-01T00:00:00Z\"}}")), HttpStatusCode.BadRequest, "passwordCredential.endDateTime: must be in the future");
        await AssertErrorAsync(await admin.PostAsync(Http.Url($"servicePrincipals/{Guid.NewGuid()}/addPassword"), null), HttpStatusCode.NotFound, "no service principal");

        // PATCH keeps keys of SPNs that stay, drops those of SPNs that go.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync(Http.Url($"servicePrincipals/{id}"), Http.Json("{\"servicePrincipalNames\":[\"HTTP/other.contoso.com\"]}"))).StatusCode);
        Assert.Equal(0, (await (await admin.GetAsync(Http.Url($"servicePrincipals/{id}/kerberosKeys"))).ReadJsonAsync()).GetProperty("value").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Http.Url($"servicePrincipals/{id}"))).StatusCode);
    }

    [Fact]
    public async Task Storage_account_registers_six_spns_and_exports_a_keytab()
    {
        using var response = await admin.PostAsync(Http.Url("emulator/storageAccounts"), Http.Json("{\"name\":\"files2\"}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sp = await response.ReadJsonAsync();
        var password = sp.GetProperty("password").GetString()!;
        var spns = sp.GetProperty("servicePrincipalNames").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Equal(KerberosCloudKdc.Kdc.Directory.StorageAccounts.Spns(Guid.Parse(AdminFactory.Tenant), "files2"), spns);
        Assert.Equal(6, spns.Count);
        Assert.Equal("[Storage Account] files2.file.core.windows.net", sp.GetProperty("displayName").GetString());
        var id = sp.GetProperty("id").GetString();

        var keytab = KeytabFile.Parse(await admin.GetByteArrayAsync(Http.Url($"emulator/servicePrincipals/{id}/keytab")));
        Assert.Equal(6, keytab.Entries.Count);
        Assert.All(keytab.Entries, e => Assert.Equal(1u, e.Kvno));
        var cifs = Assert.Single(keytab.Entries, e => string.Join('/', e.Principal.Components) == "cifs/files2.file.core.windows.net");
        Assert.Equal(CloudRealm.Name, cifs.Realm);
        var expected = KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, password, KerberosSalt.ForPrincipal(CloudRealm.Name, ["cifs", "files2.file.core.windows.net"]));
        Assert.Equal(expected.Value.ToArray(), cifs.Key.Value.ToArray());

        var one = KeytabFile.Parse(await admin.GetByteArrayAsync(Http.Url($"emulator/servicePrincipals/{id}/keytab?spn=CIFS/files2.file.core.windows.net")));
        Assert.Single(one.Entries);
        await AssertErrorAsync(await admin.GetAsync(Http.Url($"emulator/servicePrincipals/{id}/keytab?spn=HTTP/nope")), HttpStatusCode.NotFound, "spn:");

        // A given password is not echoed; the same account twice is a conflict; bad names name the field.
        using var given = await admin.PostAsync(Http.Url("emulator/storageAccounts"), Http.Json("{\"name\":\"files3\",\"password\":\"Files3-Pass\"}"));
        Assert.DoesNotContain("Files3-Pass", await given.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertErrorAsync(await admin.PostAsync(Http.Url("emulator/storageAccounts"), Http.Json("{\"name\":\"files3\"}")), HttpStatusCode.Conflict, "name");
        await AssertErrorAsync(await admin.PostAsync(Http.Url("emulator/storageAccounts"), Http.Json("{\"name\":\"Bad_Name\"}")), HttpStatusCode.BadRequest, "name: not a storage account name");
    }

    [Fact]
    public async Task Krbtgt_rotation_keeps_the_old_key_and_old_tgts_still_work()
    {
        using var kdc = factory.CreateClient();
        var before = await KerberosClient.LoginAsync(kdc, DemoSeed.AliceUpn, DemoSeed.AlicePassword, factory.Clock.Now);
        Assert.Equal(1u, before.Reply.Ticket.EncryptedPart.KeyVersion);

        var rotated = await (await admin.PostAsync(Http.Url("emulator/krbtgt/rotate"), null)).ReadJsonAsync();
        Assert.Equal(2u, rotated.GetProperty("kvno").GetUInt32());
        Assert.Equal([2u, 1u], rotated.GetProperty("keyVersions").EnumerateArray().Select(k => k.GetUInt32()));

        var reply = await KerberosClient.TgsAsync(kdc, before, $"cifs/{DemoSeed.StorageAccountName}.file.core.windows.net", factory.Clock.Now);
        Assert.Equal(MessageType.TgsRep, KerberosMessage.PeekType(reply));

        var after = await KerberosClient.LoginAsync(kdc, DemoSeed.AliceUpn, DemoSeed.AlicePassword, factory.Clock.Now);
        Assert.Equal(2u, after.Reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Equal(MessageType.TgsRep, KerberosMessage.PeekType(await KerberosClient.TgsAsync(kdc, after, $"cifs/{DemoSeed.StorageAccountName}.file.core.windows.net", factory.Clock.Now)));
    }

    [Fact]
    public async Task Expired_storage_account_password_is_refused_logged_and_fixed_by_addPassword()
    {
        const string spn = "cifs/expiring.file.core.windows.net";
        var id = (await (await admin.PostAsync(Http.Url("emulator/storageAccounts"), Http.Json("{\"name\":\"expiring\",\"password\":\"Expiring-Pass\"}"))).ReadJsonAsync()).GetProperty("id").GetString();
        factory.Clock.Now = TestData.Now.AddMonths(7);

        using var kdc = factory.CreateClient();
        var tgt = await KerberosClient.LoginAsync(kdc, DemoSeed.AliceUpn, DemoSeed.AlicePassword, factory.Clock.Now);
        Assert.Equal(KerberosErrorCode.KDC_ERR_SERVICE_EXP, KerberosClient.ErrorOf(await KerberosClient.TgsAsync(kdc, tgt, spn, factory.Clock.Now)));

        var log = await (await admin.GetAsync(Http.Url("auditLogs/signIns?status=failure&service=expiring"))).ReadJsonAsync();
        var failure = Assert.Single(log.GetProperty("value").EnumerateArray());
        Assert.Equal("tgs", failure.GetProperty("kind").GetString());
        Assert.Equal((int)KerberosErrorCode.KDC_ERR_SERVICE_EXP, failure.GetProperty("status").GetProperty("errorCode").GetInt32());
        Assert.Contains("expired", failure.GetProperty("status").GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("alice", failure.GetProperty("userPrincipalName").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(failure.GetProperty("correlationId").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(Http.Url($"servicePrincipals/{id}/addPassword"), null)).StatusCode);
        var reply = await KerberosClient.TgsAsync(kdc, tgt, spn, factory.Clock.Now);
        Assert.Equal(MessageType.TgsRep, KerberosMessage.PeekType(reply));
        Assert.Equal(2u, TgsRep.Decode(reply).Ticket.EncryptedPart.KeyVersion);
    }

    [Fact]
    public async Task SignIns_filter_and_page()
    {
        using var kdc = factory.CreateClient();
        await KerberosClient.LoginAsync(kdc, DemoSeed.AliceUpn, DemoSeed.AlicePassword, factory.Clock.Now);
        factory.Clock.Now = factory.Clock.Now.AddMinutes(1);
        await KerberosClient.LoginAsync(kdc, DemoSeed.BobUpn, DemoSeed.BobPassword, factory.Clock.Now);
        factory.Clock.Now = factory.Clock.Now.AddMinutes(1);
        Assert.Equal(KerberosErrorCode.KDC_ERR_PREAUTH_FAILED, KerberosClient.ErrorOf(await KerberosClient.AsAsync(kdc, DemoSeed.AliceUpn, "wrong", factory.Clock.Now)));

        var all = (await (await admin.GetAsync(Http.Url("auditLogs/signIns"))).ReadJsonAsync()).GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(3, all.Count);
        Assert.All(all, e => Assert.Equal("as", e.GetProperty("kind").GetString()));
        Assert.Equal(0, all[1].GetProperty("status").GetProperty("errorCode").GetInt32());

        var failures = (await (await admin.GetAsync(Http.Url("auditLogs/signIns?status=failure"))).ReadJsonAsync()).GetProperty("value");
        Assert.Equal((int)KerberosErrorCode.KDC_ERR_PREAUTH_FAILED, Assert.Single(failures.EnumerateArray()).GetProperty("status").GetProperty("errorCode").GetInt32());
        var bob = (await (await admin.GetAsync(Http.Url("auditLogs/signIns?user=bob"))).ReadJsonAsync()).GetProperty("value");
        Assert.Single(bob.EnumerateArray());
        var window = (await (await admin.GetAsync(Http.Url($"auditLogs/signIns?from={GraphTime(TestData.Now.AddSeconds(30))}&to={GraphTime(TestData.Now.AddSeconds(90))}"))).ReadJsonAsync()).GetProperty("value");
        Assert.Contains("bob", Assert.Single(window.EnumerateArray()).GetProperty("userPrincipalName").GetString(), StringComparison.OrdinalIgnoreCase);

        var page1 = await (await admin.GetAsync(Http.Url("auditLogs/signIns?status=success&$top=1"))).ReadJsonAsync();
        Assert.Single(page1.GetProperty("value").EnumerateArray());
        var next = new Uri(page1.GetProperty("@odata.nextLink").GetString()!);
        Assert.Contains("status=success", next.Query, StringComparison.Ordinal);
        var page2 = await (await admin.GetAsync(next.PathAndQuery)).ReadJsonAsync();
        Assert.Single(page2.GetProperty("value").EnumerateArray());
        Assert.False(page2.TryGetProperty("@odata.nextLink", out _));
        Assert.NotEqual(page1.GetProperty("value")[0].GetProperty("id").GetString(), page2.GetProperty("value")[0].GetProperty("id").GetString());

        await AssertErrorAsync(await admin.GetAsync(Http.Url("auditLogs/signIns?$top=0")), HttpStatusCode.BadRequest, "$top");
        await AssertErrorAsync(await admin.GetAsync(Http.Url("auditLogs/signIns?status=maybe")), HttpStatusCode.BadRequest, "status: must be success or failure");
        await AssertErrorAsync(await admin.GetAsync(Http.Url("auditLogs/signIns?from=yesterday")), HttpStatusCode.BadRequest, "from:");
    }

    [Fact]
    public async Task Client_configuration_endpoints()
    {
        var krb5 = await admin.GetStringAsync(Http.Url("emulator/krb5.conf"));
        Assert.Contains($"default_realm = {CloudRealm.Name}", krb5, StringComparison.Ordinal);
        Assert.Contains($"kdc = https://login.microsoftonline.com/{AdminFactory.Tenant}/kerberos", krb5, StringComparison.Ordinal);
        Assert.Contains($".file.core.windows.net = {CloudRealm.Name}", krb5, StringComparison.Ordinal);

        var gpo = await (await admin.GetAsync(Http.Url("emulator/gpo"))).ReadJsonAsync();
        var proxy = gpo.GetProperty("kdcProxyServers");
        Assert.Equal(CloudRealm.Name, proxy.GetProperty("valueName").GetString());
        Assert.Equal($"<https login.microsoftonline.com:443:{AdminFactory.Tenant}/kerberos />", proxy.GetProperty("value").GetString());
        Assert.EndsWith(@"\Policies\System\Kerberos\KdcProxy\ProxyServers", proxy.GetProperty("registryKey").GetString(), StringComparison.Ordinal);
        Assert.Equal(".file.core.windows.net", gpo.GetProperty("hostToRealm").GetProperty("value").GetString());

        var reg = await admin.GetStringAsync(Http.Url("emulator/gpo.reg"));
        Assert.StartsWith("Windows Registry Editor Version 5.00\r\n", reg, StringComparison.Ordinal);
        Assert.Contains(@"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\KdcProxy\ProxyServers]", reg, StringComparison.Ordinal);
        Assert.Contains($"\"KERBEROS.MICROSOFTONLINE.COM\"=\"<https login.microsoftonline.com:443:{AdminFactory.Tenant}/kerberos />\"", reg, StringComparison.Ordinal);
        Assert.Contains("\"KdcProxyServer_Enabled\"=dword:00000001", reg, StringComparison.Ordinal);
        Assert.Contains(@"\Policies\System\Kerberos\domain_realm]", reg, StringComparison.Ordinal);
    }

    private static string GraphTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class AdminApiKeyTests
{
    [Fact]
    public async Task Without_a_configured_key_one_is_generated_owner_only_and_reused()
    {
        using var factory = new AdminFactory(adminKey: null);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Http.Url("users"))).StatusCode);

        var path = Path.Combine(factory.DataDirectory, "admin-api-key");
        var key = (await File.ReadAllTextAsync(path)).Trim();
        Assert.True(key.Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Http.Url("users"))).StatusCode);
    }
}

public sealed class AdminApiKeyFileTests
{
    [Theory]
    [InlineData("short", UnixFileMode.UserRead | UnixFileMode.UserWrite, "does not hold a usable key")]
    [InlineData("a-long-enough-admin-key-0123456789", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "can be read or written by others")]
    public void A_bad_key_file_is_refused_not_replaced(string content, UnixFileMode mode, string expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = TestData.TempDirectory();
        Directory.CreateDirectory(data);
        var path = Path.Combine(data, KerberosCloudKdc.Server.Admin.AdminApiKey.FileName);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        var options = Microsoft.Extensions.Options.Options.Create(new KerberosCloudKdc.Server.Hosting.CloudKdcOptions { DataDirectory = data });
        var key = new KerberosCloudKdc.Server.Admin.AdminApiKey(options, new KerberosCloudKdc.Server.Hosting.DataDirectory(data));

        var error = Assert.Throws<IOException>(() => key.Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path));
    }
}

public sealed class StoreOptionTests
{
    [Fact]
    public async Task Sqlite_store_keeps_the_directory_across_restarts()
    {
        var data = TestData.TempDirectory();
        string[] args = [$"--CloudKdc:DataDirectory={data}", "--CloudKdc:Store=sqlite", "--CloudKdc:PrintBanner=false"];
        var tenant = new KerberosCloudKdc.Kdc.Directory.Tenant { Id = Guid.Parse("11111111-2222-3333-4444-555555555555"), DisplayName = "Persisted" };

        await using (var first = await KerberosCloudKdc.Server.Hosting.CloudKdcApp.BuildAsync(args))
        {
            var store = first.Services.GetRequiredService<KerberosCloudKdc.Kdc.Directory.IDirectoryAdminStore>();
            await store.AddTenantAsync(tenant, []);
        }

        await using var second = await KerberosCloudKdc.Server.Hosting.CloudKdcApp.BuildAsync(args);
        var reopened = second.Services.GetRequiredService<KerberosCloudKdc.Kdc.Directory.IDirectoryAdminStore>();
        Assert.Equal("Persisted", (await reopened.FindTenantAsync(tenant.Id.ToString()))!.DisplayName);
        Assert.True(File.Exists(Path.Combine(data, "directory.db")));
    }

    [Fact]
    public async Task Unknown_store_is_refused()
    {
        await using var app = await KerberosCloudKdc.Server.Hosting.CloudKdcApp.BuildAsync(
            [$"--CloudKdc:DataDirectory={TestData.TempDirectory()}", "--CloudKdc:Store=redis", "--CloudKdc:PrintBanner=false"]);
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => KerberosCloudKdc.Server.Hosting.CloudKdcApp.ValidateAtStart(app));
        Assert.Contains("CloudKdc:Store must be 'memory' or 'sqlite'", error.Message, StringComparison.Ordinal);
    }
}

public sealed class TenantScopedKeyTests : IDisposable
{
    private const string DemoKey = "demo-tenant-key-0123456789abcdef";
    private const string OtherKey = "other-tenant-key-0123456789abcdef";
    private static readonly string OtherTenant = "0badc0de-0000-4000-8000-000000000001";

    private readonly WebApplicationFactory<Program> factory = new AdminFactory().WithWebHostBuilder(builder =>
    {
        builder.UseSetting($"CloudKdc:TenantAdminApiKeys:{AdminFactory.Tenant}", DemoKey);
        builder.UseSetting($"CloudKdc:TenantAdminApiKeys:{OtherTenant}", OtherKey);
    });

    [Fact]
    public async Task A_tenant_key_administers_its_tenant_only()
    {
        using var client = factory.CreateClient();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoKey);
        using var own = await client.GetAsync(Http.Url("users"));
        using var unknown = await client.GetAsync("/00000000-1111-2222-3333-444444444444/v1.0/users");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OtherKey);
        using var foreign = await client.PostAsync(Http.Url("users"), Http.Json("""{"userPrincipalName":"mallory@contoso.com"}"""));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminFactory.Key);
        using var global = await client.GetAsync(Http.Url("users"));
        var users = await global.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("Authorization_RequestDenied", (await foreign.ReadJsonAsync()).GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(users.GetProperty("value").EnumerateArray(), u => u.GetProperty("userPrincipalName").GetString() == "mallory@contoso.com");
    }

    public void Dispose() => factory.Dispose();
}

/// <summary>Found in review of the SQLite-backed admin API (the admin factory uses the default SQLite store).</summary>
public sealed class AdminStoreReviewTests : IDisposable
{
    private readonly AdminFactory factory = new();
    private readonly HttpClient admin;

    public AdminStoreReviewTests() => admin = factory.Admin();

    [Fact]
    public async Task A_foreign_skiptoken_is_400_not_500()
    {
        using var response = await admin.GetAsync(Http.Url("auditLogs/signIns?$skiptoken=not-a-token"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$skiptoken", (await response.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_with_alices_on_premises_sid_is_a_conflict()
    {
        using var response = await admin.PostAsync(Http.Url("users"), Http.Json("""
            {"userPrincipalName":"mallory@contoso.com","passwordProfile":{"password":"Mallory-Pass-123"},
             "onPremisesSamAccountName":"mallory","onPremisesSecurityIdentifier":"S-1-5-21-3623811015-3361044348-30300820-1105"}
            """));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var list = await admin.GetAsync(Http.Url("users"));
        Assert.DoesNotContain((await list.ReadJsonAsync()).GetProperty("value").EnumerateArray(), u => u.GetProperty("userPrincipalName").GetString() == "mallory@contoso.com");
    }

    [Fact]
    public async Task Sign_ins_stamped_by_an_injected_clock_survive_pruning()
    {
        // The factory's clock is months behind the machine's: pruning by wall clock once emptied the log.
        using var kdc = factory.CreateClient();
        for (var i = 0; i < 70; i++)
        {
            Assert.Equal(KerberosErrorCode.KDC_ERR_PREAUTH_FAILED, KerberosClient.ErrorOf(await KerberosClient.AsAsync(kdc, DemoSeed.AliceUpn, "wrong", factory.Clock.Now)));
        }

        using var response = await admin.GetAsync(Http.Url("auditLogs/signIns?$top=1000"));

        Assert.Equal(70, (await response.ReadJsonAsync()).GetProperty("value").GetArrayLength());
    }

    public void Dispose()
    {
        admin.Dispose();
        factory.Dispose();
    }
}
