using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>
/// Calls a running server's admin API (/{tenant}/v1.0/…) with the bearer key. The server's certificate is checked
/// against the lab CA when one is given (else the system's roots); the tenant segment is the --tenant value or
/// "common", which the admin API takes as the default tenant.
/// </summary>
internal sealed partial class OnlineBackend : IAdminBackend
{
    private readonly HttpClient http;
    private readonly string prefix;
    private readonly X509Certificate2? ca;

    public OnlineBackend(Uri server, string apiKey, string? tenant, string? caFile)
    {
        ArgumentNullException.ThrowIfNull(server);
        Target = server.GetLeftPart(UriPartial.Authority);
        var handler = new SocketsHttpHandler();
        if (caFile is not null)
        {
            try
            {
                var text = File.ReadAllText(caFile);
                ca = text.Contains("-----BEGIN", StringComparison.Ordinal) ? X509Certificate2.CreateFromPem(text) : X509CertificateLoader.LoadCertificateFromFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new CliException($"--ca: cannot read the CA certificate {caFile}: {e.Message}");
            }

            handler.SslOptions.RemoteCertificateValidationCallback = ValidateAgainstCa;
        }

        http = new HttpClient(handler) { BaseAddress = new Uri(Target + "/"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        prefix = $"{Uri.EscapeDataString(tenant ?? "common")}/v1.0/";
    }

    /// <summary>Over a given client (its base address and Authorization header set), e.g. a test host's.</summary>
    internal OnlineBackend(HttpClient client, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(client);
        http = client;
        Target = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        prefix = $"{Uri.EscapeDataString(tenant ?? "common")}/v1.0/";
    }

    public string Target { get; }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        ca?.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool ValidateAgainstCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (certificate is X509Certificate2 presented)
        {
            return custom.Build(presented);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, prefix + path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            throw new CliException($"cannot reach {Target}: its TLS certificate is not trusted (give the server's lab CA with --ca <data-dir>/tls/{Tls.LabCertificateAuthority.CaCertificateFile})");
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {Target}: {e.Message}{(e.InnerException is { } inner ? " (" + inner.Message + ")" : string.Empty)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"{Target} did not answer in time");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string message;
            try
            {
                message = JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>() ?? text;
            }
            catch (JsonException)
            {
                message = text;
            }

            throw new CliException(response.StatusCode == HttpStatusCode.Unauthorized
                ? $"{Target} refused the admin API key (--api-key / CLOUDKDC_API_KEY; the server's key is in <data-dir>/admin-api-key)"
                : $"{message} (HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)})");
        }
    }

    private async Task<JsonObject> JsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? throw new CliException($"{Target} answered {path} with something that is not a JSON object");
    }

    private async Task<string> TextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<JsonObject>> CollectionAsync(string path, CancellationToken cancellationToken)
    {
        var json = await JsonAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return json["value"] is JsonArray items ? [.. items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone())] : [];
    }

    private static string Id(JsonObject json) => CliLookup.Text(json, "id") ?? string.Empty;

    private async Task<string> UserIdAsync(string user, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(user, out var id))
        {
            return id.ToString("D");
        }

        var users = await ListUsersAsync(cancellationToken).ConfigureAwait(false);
        return Id(CliLookup.Single([.. users.Select(u => (u, u))], user, "user", Target));
    }

    public Task<IReadOnlyList<JsonObject>> ListTenantsAsync(CancellationToken cancellationToken) => CollectionAsync("emulator/tenants", cancellationToken);

    public Task<JsonObject> AddTenantAsync(JsonObject body, CancellationToken cancellationToken) => JsonAsync(HttpMethod.Post, "emulator/tenants", body, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> ListUsersAsync(CancellationToken cancellationToken) => CollectionAsync("users", cancellationToken);

    public Task<JsonObject> AddUserAsync(JsonObject body, CancellationToken cancellationToken) => JsonAsync(HttpMethod.Post, "users", body, cancellationToken);

    public async Task<JsonObject> UpdateUserAsync(string user, JsonObject patch, CancellationToken cancellationToken)
    {
        var id = await UserIdAsync(user, cancellationToken).ConfigureAwait(false);
        await JsonAsync(HttpMethod.Patch, $"users/{id}", patch, cancellationToken).ConfigureAwait(false);
        return await JsonAsync(HttpMethod.Get, $"users/{id}", null, cancellationToken).ConfigureAwait(false);
    }

    public Task<JsonObject> AddGroupAsync(JsonObject body, CancellationToken cancellationToken) => JsonAsync(HttpMethod.Post, "groups", body, cancellationToken);

    public async Task AddMemberAsync(string group, string user, CancellationToken cancellationToken)
    {
        var groups = await CollectionAsync("groups", cancellationToken).ConfigureAwait(false);
        var groupId = Id(CliLookup.Single([.. groups.Select(g => (g, g))], group, "group", Target));
        var userId = await UserIdAsync(user, cancellationToken).ConfigureAwait(false);
        await JsonAsync(HttpMethod.Post, $"groups/{groupId}/members/$ref", new JsonObject { ["@odata.id"] = $"{Target}/v1.0/directoryObjects/{userId}" }, cancellationToken).ConfigureAwait(false);
    }

    public Task<JsonObject> AddServicePrincipalAsync(JsonObject body, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, "servicePrincipals", body, cancellationToken);

    public Task<JsonObject> AddPasswordAsync(string servicePrincipalId, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, $"servicePrincipals/{Uri.EscapeDataString(servicePrincipalId)}/addPassword", new JsonObject(), cancellationToken);

    public Task<JsonObject> AddStorageAccountAsync(JsonObject body, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, "emulator/storageAccounts", body, cancellationToken);

    public async Task<byte[]> ExportKeytabAsync(string spn, CancellationToken cancellationToken)
    {
        var sps = await CollectionAsync("servicePrincipals", cancellationToken).ConfigureAwait(false);
        var owner = sps.FirstOrDefault(sp => sp["servicePrincipalNames"] is JsonArray names
            && names.Any(n => string.Equals(n?.GetValue<string>(), spn, StringComparison.OrdinalIgnoreCase)))
            ?? throw new CliException($"spn: no service principal owns '{spn}' on {Target}");
        var registered = ((JsonArray)owner["servicePrincipalNames"]!).Select(n => n!.GetValue<string>()).First(n => string.Equals(n, spn, StringComparison.OrdinalIgnoreCase));
        using var response = await SendAsync(HttpMethod.Get, $"emulator/servicePrincipals/{Id(owner)}/keytab?spn={Uri.EscapeDataString(registered)}", null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<JsonObject> RotateKrbtgtAsync(CancellationToken cancellationToken) => JsonAsync(HttpMethod.Post, "emulator/krbtgt/rotate", null, cancellationToken);

    public Task<string> Krb5ConfAsync(CancellationToken cancellationToken) => TextAsync("emulator/krb5.conf", cancellationToken);

    public Task<JsonObject> GpoAsync(CancellationToken cancellationToken) => JsonAsync(HttpMethod.Get, "emulator/gpo", null, cancellationToken);

    public Task<string> GpoRegAsync(CancellationToken cancellationToken) => TextAsync("emulator/gpo.reg", cancellationToken);

    public Task<IReadOnlyList<JsonObject>> SignInsAsync(SignInFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new List<string> { "$top=" + filter.Top.ToString(CultureInfo.InvariantCulture) };
        if (filter.User is not null)
        {
            query.Add("user=" + Uri.EscapeDataString(filter.User));
        }

        if (filter.Service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(filter.Service));
        }

        if (filter.FailedOnly)
        {
            query.Add("status=failure");
        }

        return CollectionAsync("auditLogs/signIns?" + string.Join('&', query), cancellationToken);
    }
}
