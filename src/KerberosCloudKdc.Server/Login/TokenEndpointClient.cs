using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The client side of /{tenant}/oauth2/token: form posts, Entra-shaped errors turned into the first line of their
/// error_description (the rest is trace and correlation ids), and any other answer into a short, safe message.
/// </summary>
internal sealed class TokenEndpointClient(HttpClient http, Uri server)
{
    private const int MaxShownBody = 200;

    public Uri Server => server;

    public async Task<string> ChallengeAsync(string tenant, CancellationToken cancellationToken)
    {
        var json = await PostAsync(tenant, [new("grant_type", "srv_challenge")], cancellationToken).ConfigureAwait(false);
        return json["Nonce"] is JsonValue nonce && nonce.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new LoginException("the srv_challenge answer has no Nonce");
    }

    public async Task<JsonObject> PostAsync(string tenant, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var (status, text, json) = await SendFormAsync(tenant, form, cancellationToken).ConfigureAwait(false);
        return json ?? throw new LoginException($"the token endpoint answered HTTP {(int)status} with something that is not a JSON object: {Shorten(text)}");
    }

    /// <summary>
    /// A post whose success is not JSON: the answer to a session-key-signed request is one compact JWE (docs/token-path.md
    /// §1.3). Refusals are still Entra JSON errors and become the same one-line messages.
    /// </summary>
    public async Task<string> PostForTextAsync(string tenant, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var (_, text, _) = await SendFormAsync(tenant, form, cancellationToken).ConfigureAwait(false);
        return text;
    }

    private async Task<(HttpStatusCode Status, string Text, JsonObject? Json)> SendFormAsync(
        string tenant, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, $"{Uri.EscapeDataString(tenant)}/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        using var response = await SendAsync(http, request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Reported by the caller with the status code, or (a JWE) not JSON by design.
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new LoginException(ErrorMessage(response.StatusCode, json, text));
        }

        return (response.StatusCode, text, json);
    }

    /// <summary>Sends, mapping transport failures (refused connection, untrusted TLS certificate, timeout) to one-line errors.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        var target = request.RequestUri?.GetLeftPart(UriPartial.Authority);
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            throw new LoginException($"cannot reach {target}: its TLS certificate is not trusted (give the lab CA with --ca, e.g. <data-dir>/tls/lab-ca.pem)", e);
        }
        catch (HttpRequestException e)
        {
            throw new LoginException($"cannot reach {target}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoginException($"{target} did not answer in time", e);
        }
    }

    private static string ErrorMessage(HttpStatusCode status, JsonObject? json, string text)
    {
        var description = json?["error_description"] is JsonValue d && d.TryGetValue<string>(out var s) ? s : null;
        var error = json?["error"] is JsonValue e && e.TryGetValue<string>(out var code) ? code : null;
        if (description is { Length: > 0 })
        {
            // Entra appends "Trace ID: …", "Correlation ID: …" and "Timestamp: …" lines; the first line is the reason.
            // Servers that put them on the same line are cut at the trace id too.
            var first = description.Split('\n')[0].TrimEnd('\r');
            var trace = first.IndexOf(" Trace ID:", StringComparison.Ordinal);
            return trace > 0 ? first[..trace] : first;
        }

        return error is not null
            ? $"{error} (HTTP {(int)status})"
            : $"the token endpoint answered HTTP {(int)status}: {Shorten(text)}";
    }

    /// <summary>A bounded, single-line excerpt of an unexpected body: enough to recognise a proxy's error page, no more.</summary>
    private static string Shorten(string text)
    {
        var line = new string([.. text.Take(MaxShownBody).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return line.Length == 0 ? "(empty body)" : line + (text.Length > MaxShownBody ? "…" : string.Empty);
    }
}
