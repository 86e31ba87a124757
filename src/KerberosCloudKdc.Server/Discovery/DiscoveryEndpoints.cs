using System.Text.Json;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Discovery;

/// <summary>
/// OIDC discovery (v1 and v2) and JWKS, with Entra's field set and key order (facts §1.2–1.4). Endpoints
/// hosted on the login host use PublicOrigin; identifiers and other services' hosts (sts.windows.net
/// issuer of v1, graph.microsoft.com, pas.windows.net) keep Entra's values, as a client expects them.
/// </summary>
internal static class DiscoveryEndpoints
{
    private static readonly string[] AuthMethods = ["client_secret_post", "private_key_jwt", "client_secret_basic"];
    private static readonly string[] ResponseModes = ["query", "fragment", "form_post"];
    private static readonly string[] SubjectTypes = ["pairwise"];
    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] V2ResponseTypes = ["code", "id_token", "code id_token", "id_token token"];
    private static readonly string[] V1ResponseTypes = ["code", "id_token", "code id_token", "token id_token", "token"];
    private static readonly string[] V2Scopes = ["openid", "profile", "email", "offline_access"];
    private static readonly string[] V1Scopes = ["openid"];

    private static readonly string[] V2Claims =
    [
        "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
        "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email",
    ];

    private static readonly string[] V1Claims =
    [
        "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
        "auth_time", "acr", "amr", "nonce", "email", "given_name", "family_name", "nickname",
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/.well-known/openid-configuration", (HttpContext c, string tenant) => Document(c, tenant, v2: false));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext c, string tenant) => Document(c, tenant, v2: true));
        app.MapGet("/{tenant}/discovery/keys", (HttpContext c, string tenant) => Keys(c, tenant, v2: false));
        app.MapGet("/{tenant}/discovery/v2.0/keys", (HttpContext c, string tenant) => Keys(c, tenant, v2: true));
    }

    /// <summary>The tenant segment used in URLs: the lowercase GUID, or the literal common / organizations; null if unknown.</summary>
    private static async ValueTask<string?> SegmentAsync(HttpContext context, string tenant)
    {
        if (TenantResolver.IsMultiTenant(tenant))
        {
            return tenant.ToLowerInvariant();
        }

        var resolver = context.RequestServices.GetRequiredService<TenantResolver>();
        var found = await resolver.FindAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        return found?.Id.ToString("D");
    }

    private static async Task Document(HttpContext context, string tenant, bool v2)
    {
        var segment = await SegmentAsync(context, tenant).ConfigureAwait(false);
        if (segment is null)
        {
            await UnknownTenant(context).ConfigureAwait(false);
            return;
        }

        var origin = context.RequestServices.GetRequiredService<PublicOrigin>().For(context);
        var options = context.RequestServices.GetRequiredService<IOptions<CloudKdcOptions>>().Value;
        var multi = TenantResolver.IsMultiTenant(segment);
        var issuerTenant = multi ? "{tenantid}" : segment;
        var region = multi ? null : options.TenantRegionScope;
        var body = v2 ? V2(origin, segment, issuerTenant, region) : V1(origin, segment, issuerTenant, region);
        await WriteJson(context, body).ConfigureAwait(false);
    }

    internal static byte[] V2(string origin, string segment, string issuerTenant, string? region) => Json(w =>
    {
        var b = $"{origin}/{segment}";
        w.WriteString("token_endpoint", $"{b}/oauth2/v2.0/token");
        Array(w, "token_endpoint_auth_methods_supported", AuthMethods);
        w.WriteString("jwks_uri", $"{b}/discovery/v2.0/keys");
        Array(w, "response_modes_supported", ResponseModes);
        Array(w, "subject_types_supported", SubjectTypes);
        Array(w, "id_token_signing_alg_values_supported", SigningAlgorithms);
        Array(w, "response_types_supported", V2ResponseTypes);
        Array(w, "scopes_supported", V2Scopes);
        w.WriteString("issuer", $"{origin}/{issuerTenant}/v2.0");
        w.WriteBoolean("request_uri_parameter_supported", false);
        w.WriteString("userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo");
        w.WriteString("authorization_endpoint", $"{b}/oauth2/v2.0/authorize");
        w.WriteString("device_authorization_endpoint", $"{b}/oauth2/v2.0/devicecode");
        w.WriteBoolean("http_logout_supported", true);
        w.WriteBoolean("frontchannel_logout_supported", true);
        w.WriteString("end_session_endpoint", $"{b}/oauth2/v2.0/logout");
        Array(w, "claims_supported", V2Claims);
        Tail(w, b, region);
    });

    internal static byte[] V1(string origin, string segment, string issuerTenant, string? region) => Json(w =>
    {
        var b = $"{origin}/{segment}";
        w.WriteString("token_endpoint", $"{b}/oauth2/token");
        Array(w, "token_endpoint_auth_methods_supported", AuthMethods);
        w.WriteString("jwks_uri", $"{origin}/common/discovery/keys");
        Array(w, "response_modes_supported", ResponseModes);
        Array(w, "subject_types_supported", SubjectTypes);
        Array(w, "id_token_signing_alg_values_supported", SigningAlgorithms);
        Array(w, "response_types_supported", V1ResponseTypes);
        Array(w, "scopes_supported", V1Scopes);
        w.WriteString("issuer", $"https://sts.windows.net/{issuerTenant}/");
        w.WriteBoolean("microsoft_multi_refresh_token", true);
        w.WriteString("authorization_endpoint", $"{b}/oauth2/authorize");
        w.WriteString("device_authorization_endpoint", $"{b}/oauth2/devicecode");
        w.WriteBoolean("http_logout_supported", true);
        w.WriteBoolean("frontchannel_logout_supported", true);
        w.WriteString("end_session_endpoint", $"{b}/oauth2/logout");
        Array(w, "claims_supported", V1Claims);
        w.WriteString("check_session_iframe", $"{b}/oauth2/checksession");
        w.WriteString("userinfo_endpoint", $"{b}/openid/userinfo");
        Tail(w, b, region);
    });

    private static void Tail(Utf8JsonWriter w, string tenantBase, string? region)
    {
        w.WriteString("kerberos_endpoint", $"{tenantBase}/kerberos");
        if (region is null)
        {
            w.WriteNull("tenant_region_scope");
        }
        else
        {
            w.WriteString("tenant_region_scope", region);
        }

        w.WriteString("cloud_instance_name", "microsoftonline.com");
        w.WriteString("cloud_graph_host_name", "graph.windows.net");
        w.WriteString("msgraph_host", "graph.microsoft.com");
        w.WriteString("rbac_url", "https://pas.windows.net");
    }

    private static async Task Keys(HttpContext context, string tenant, bool v2)
    {
        var segment = await SegmentAsync(context, tenant).ConfigureAwait(false);
        if (segment is null)
        {
            await UnknownTenant(context).ConfigureAwait(false);
            return;
        }

        var origin = context.RequestServices.GetRequiredService<PublicOrigin>().For(context);
        var key = context.RequestServices.GetRequiredService<SigningKeyStore>().Current.PublicJwk;
        var issuerTenant = TenantResolver.IsMultiTenant(segment) ? "{tenantid}" : segment;
        var body = Json(w =>
        {
            w.WriteStartArray("keys");
            w.WriteStartObject();
            w.WriteString("kty", key.Kty);
            w.WriteString("use", key.Use);
            w.WriteString("kid", key.Kid);
            w.WriteString("x5t", key.X5t);
            w.WriteString("n", key.N);
            w.WriteString("e", key.E);
            Array(w, "x5c", key.X5c);
            if (v2)
            {
                w.WriteString("issuer", $"{origin}/{issuerTenant}/v2.0");
            }

            w.WriteEndObject();
            w.WriteEndArray();
        });
        await WriteJson(context, body).ConfigureAwait(false);
    }

    private static Task UnknownTenant(HttpContext context)
    {
        // Entra answers an unknown tenant with 400 invalid_tenant (AADSTS90002); the segment is not echoed.
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        var body = Json(w =>
        {
            w.WriteString("error", "invalid_tenant");
            w.WriteString("error_description", "AADSTS90002: Tenant not found. Check the tenant GUID or verified domain.");
        });
        return WriteJson(context, body, cache: false);
    }

    private static Task WriteJson(HttpContext context, byte[] body, bool cache = true)
    {
        var headers = context.Response.Headers;
        headers.ContentType = "application/json; charset=utf-8";
        headers.CacheControl = cache ? "max-age=86400, private" : "no-store, no-cache";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, OPTIONS";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static void Array(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
