using System.Net;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Server.Discovery;

namespace KerberosCloudKdc.Server.Tests;

public sealed class DiscoveryTests : IDisposable
{
    private const string Origin = "https://login.microsoftonline.com";
    private const string Tid = DemoSeed.TenantId;
    private readonly KdcFactory factory = new(publicOrigin: Origin);

    private static readonly string[] V2Keys =
    [
        "token_endpoint", "token_endpoint_auth_methods_supported", "jwks_uri", "response_modes_supported", "subject_types_supported",
        "id_token_signing_alg_values_supported", "response_types_supported", "scopes_supported", "issuer", "request_uri_parameter_supported",
        "userinfo_endpoint", "authorization_endpoint", "device_authorization_endpoint", "http_logout_supported", "frontchannel_logout_supported",
        "end_session_endpoint", "claims_supported", "kerberos_endpoint", "tenant_region_scope", "cloud_instance_name", "cloud_graph_host_name",
        "msgraph_host", "rbac_url",
    ];

    private static readonly string[] V1Keys =
    [
        "token_endpoint", "token_endpoint_auth_methods_supported", "jwks_uri", "response_modes_supported", "subject_types_supported",
        "id_token_signing_alg_values_supported", "response_types_supported", "scopes_supported", "issuer", "microsoft_multi_refresh_token",
        "authorization_endpoint", "device_authorization_endpoint", "http_logout_supported", "frontchannel_logout_supported", "end_session_endpoint",
        "claims_supported", "check_session_iframe", "userinfo_endpoint", "kerberos_endpoint", "tenant_region_scope", "cloud_instance_name",
        "cloud_graph_host_name", "msgraph_host", "rbac_url",
    ];

    public void Dispose() => factory.Dispose();

    private async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-ms-request-id"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static string[] A(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToArray();

    [Theory]
    [InlineData(Tid)]
    [InlineData("contoso.com")]
    [InlineData("7A3C5E91-2B4D-4F68-9E0A-C1D2E3F4A5B6")]
    public async Task V2_tenant_document_field_by_field(string segment)
    {
        var d = await GetJsonAsync($"/{segment}/v2.0/.well-known/openid-configuration");
        Assert.Equal(V2Keys, d.EnumerateObject().Select(p => p.Name).ToArray());
        var b = $"{Origin}/{Tid}";
        Assert.Equal($"{b}/oauth2/v2.0/token", S(d, "token_endpoint"));
        Assert.Equal(["client_secret_post", "private_key_jwt", "client_secret_basic"], A(d, "token_endpoint_auth_methods_supported"));
        Assert.Equal($"{b}/discovery/v2.0/keys", S(d, "jwks_uri"));
        Assert.Equal(["query", "fragment", "form_post"], A(d, "response_modes_supported"));
        Assert.Equal(["pairwise"], A(d, "subject_types_supported"));
        Assert.Equal(["RS256"], A(d, "id_token_signing_alg_values_supported"));
        Assert.Equal(["code", "id_token", "code id_token", "id_token token"], A(d, "response_types_supported"));
        Assert.Equal(["openid", "profile", "email", "offline_access"], A(d, "scopes_supported"));
        Assert.Equal($"{b}/v2.0", S(d, "issuer"));
        Assert.False(d.GetProperty("request_uri_parameter_supported").GetBoolean());
        Assert.Equal("https://graph.microsoft.com/oidc/userinfo", S(d, "userinfo_endpoint"));
        Assert.Equal($"{b}/oauth2/v2.0/authorize", S(d, "authorization_endpoint"));
        Assert.Equal($"{b}/oauth2/v2.0/devicecode", S(d, "device_authorization_endpoint"));
        Assert.True(d.GetProperty("http_logout_supported").GetBoolean());
        Assert.True(d.GetProperty("frontchannel_logout_supported").GetBoolean());
        Assert.Equal($"{b}/oauth2/v2.0/logout", S(d, "end_session_endpoint"));
        Assert.Equal(19, A(d, "claims_supported").Length);
        Assert.Equal($"{b}/kerberos", S(d, "kerberos_endpoint"));
        Assert.Equal("WW", S(d, "tenant_region_scope"));
        Assert.Equal("microsoftonline.com", S(d, "cloud_instance_name"));
        Assert.Equal("graph.windows.net", S(d, "cloud_graph_host_name"));
        Assert.Equal("graph.microsoft.com", S(d, "msgraph_host"));
        Assert.Equal("https://pas.windows.net", S(d, "rbac_url"));
    }

    [Theory]
    [InlineData(Tid)]
    [InlineData("contoso.com")]
    public async Task V1_tenant_document_field_by_field(string segment)
    {
        var d = await GetJsonAsync($"/{segment}/.well-known/openid-configuration");
        Assert.Equal(V1Keys, d.EnumerateObject().Select(p => p.Name).ToArray());
        var b = $"{Origin}/{Tid}";
        Assert.Equal($"{b}/oauth2/token", S(d, "token_endpoint"));
        Assert.Equal($"{Origin}/common/discovery/keys", S(d, "jwks_uri"));
        Assert.Equal(["code", "id_token", "code id_token", "token id_token", "token"], A(d, "response_types_supported"));
        Assert.Equal(["openid"], A(d, "scopes_supported"));
        Assert.Equal($"https://sts.windows.net/{Tid}/", S(d, "issuer"));
        Assert.True(d.GetProperty("microsoft_multi_refresh_token").GetBoolean());
        Assert.Equal($"{b}/oauth2/authorize", S(d, "authorization_endpoint"));
        Assert.Equal($"{b}/oauth2/devicecode", S(d, "device_authorization_endpoint"));
        Assert.Equal($"{b}/oauth2/logout", S(d, "end_session_endpoint"));
        Assert.Contains("amr", A(d, "claims_supported"));
        Assert.Equal($"{b}/oauth2/checksession", S(d, "check_session_iframe"));
        Assert.Equal($"{b}/openid/userinfo", S(d, "userinfo_endpoint"));
        Assert.Equal($"{b}/kerberos", S(d, "kerberos_endpoint"));
        Assert.Equal("WW", S(d, "tenant_region_scope"));
        Assert.Equal("https://pas.windows.net", S(d, "rbac_url"));
    }

    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    [InlineData("Common")]
    public async Task Multi_tenant_documents_keep_the_segment_and_the_placeholder_issuer(string segment)
    {
        var literal = segment.ToLowerInvariant();
        var v2 = await GetJsonAsync($"/{segment}/v2.0/.well-known/openid-configuration");
        Assert.Equal(V2Keys, v2.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal($"{Origin}/{{tenantid}}/v2.0", S(v2, "issuer"));
        Assert.Equal($"{Origin}/{literal}/kerberos", S(v2, "kerberos_endpoint"));
        Assert.Equal($"{Origin}/{literal}/oauth2/v2.0/token", S(v2, "token_endpoint"));
        Assert.Equal($"{Origin}/{literal}/discovery/v2.0/keys", S(v2, "jwks_uri"));
        Assert.Equal(JsonValueKind.Null, v2.GetProperty("tenant_region_scope").ValueKind);

        var v1 = await GetJsonAsync($"/{segment}/.well-known/openid-configuration");
        Assert.Equal("https://sts.windows.net/{tenantid}/", S(v1, "issuer"));
        Assert.Equal($"{Origin}/{literal}/kerberos", S(v1, "kerberos_endpoint"));
        Assert.Equal(JsonValueKind.Null, v1.GetProperty("tenant_region_scope").ValueKind);
    }

    [Fact]
    public async Task Kerberos_endpoint_follows_public_origin()
    {
        using var lab = new KdcFactory(publicOrigin: "https://kdc.lab.example:9443/");
        using var client = lab.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync($"/{Tid}/v2.0/.well-known/openid-configuration"));
        Assert.Equal($"https://kdc.lab.example:9443/{Tid}/kerberos", document.RootElement.GetProperty("kerberos_endpoint").GetString());
    }

    [Theory]
    [InlineData("/fabrikam.com/v2.0/.well-known/openid-configuration")]
    [InlineData("/00000000-1111-2222-3333-444444444444/.well-known/openid-configuration")]
    [InlineData("/nope.example/discovery/keys")]
    public async Task Unknown_tenant_is_400_invalid_tenant(string path)
    {
        var error = await GetJsonAsync(path, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_tenant", S(error, "error"));
    }

    [Theory]
    [InlineData("/common/discovery/keys", false)]
    [InlineData("/" + Tid + "/discovery/keys", false)]
    [InlineData("/" + Tid + "/discovery/v2.0/keys", true)]
    public async Task Jwks_serves_the_rsa_signing_key(string path, bool v2)
    {
        var keys = await GetJsonAsync(path);
        var key = Assert.Single(keys.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", S(key, "kty"));
        Assert.Equal("sig", S(key, "use"));
        Assert.Equal(S(key, "x5t"), S(key, "kid"));
        Assert.Equal("AQAB", S(key, "e"));
        Assert.True(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(S(key, "n")).Length >= 256);
        Assert.Single(A(key, "x5c"));
        Assert.Equal(v2, key.TryGetProperty("issuer", out _));
    }

    [Fact]
    public async Task Signing_key_persists_across_restarts_with_the_same_kid()
    {
        var directory = TestData.TempDirectory();
        string first;
        using (var one = new KdcFactory(directory))
        using (var client = one.CreateClient())
        using (var document = JsonDocument.Parse(await client.GetStringAsync("/common/discovery/keys")))
        {
            first = document.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
        }

        using var two = new KdcFactory(directory);
        using var client2 = two.CreateClient();
        using var again = JsonDocument.Parse(await client2.GetStringAsync("/common/discovery/v2.0/keys"));
        Assert.Equal(first, again.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString());

        var keyFile = Path.Combine(directory, "signing", SigningKeyStore.KeyFile);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }
}
