using System.Net;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>The real host (AdminFactory: real engine, manual clock, known admin key) driven as a PRT client would.</summary>
internal sealed class TokenHarness : IAsyncDisposable
{
    public const string Tenant = DemoSeed.TenantId;
    public const string StorageSpn = "cifs/demoaccount.file.core.windows.net";

    private TokenHarness(AdminFactory factory)
    {
        Factory = factory;
        Client = factory.CreateClient();
        AdminClient = factory.Admin();
    }

    public AdminFactory Factory { get; }

    public HttpClient Client { get; }

    public HttpClient AdminClient { get; }

    public static TokenHarness Start() => new(new AdminFactory());

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public async Task<JsonElement> RegisterAsync(TestDevice device)
    {
        using var response = await AdminClient.PostAsync(Http.Url("devices"), Http.Json(device.RegistrationJson()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public async Task<string> NonceAsync(string tenant = "common")
    {
        using var response = await Client.PostAsync($"/{tenant}/oauth2/token", Form(("grant_type", "srv_challenge")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("Nonce").GetString()!;
    }

    public async Task<HttpResponseMessage> PrtAsync(string jwt, string tenant = Tenant, string tgt = "true") =>
        await Client.PostAsync($"/{tenant}/oauth2/token", Form(
            ("windows_api_version", "2.0"),
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("request", jwt),
            ("client_info", "1"),
            ("tgt", tgt)));

    /// <summary>The token-kind sign-in events, newest first.</summary>
    public async Task<List<JsonElement>> TokenSignInsAsync()
    {
        var log = await (await AdminClient.GetAsync(Http.Url("auditLogs/signIns"))).ReadJsonAsync();
        return log.GetProperty("value").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "token").ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AdminClient.Dispose();
        await Factory.DisposeAsync();
    }
}
