using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Tests.Login;

/// <summary>An HTTP handler standing in for the server: srv_challenge gets a nonce, every other post the canned answer.</summary>
internal sealed class FakeTokenEndpoint(Func<HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(Uri Uri, Dictionary<string, string> Form)> Requests { get; } = [];

    public static HttpResponseMessage Json(JsonNode body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/html") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var form = text.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : string.Empty));
        Requests.Add((request.RequestUri!, form));
        return form.TryGetValue("grant_type", out var grant) && grant == "srv_challenge"
            ? Json(new JsonObject { ["Nonce"] = "nonce-1" })
            : answer();
    }
}
