using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>Cloud trust commands over the admin API.</summary>
internal sealed partial class OnlineBackend
{
    private static string TrustPath(string domain) => "kerberosServers/" + Uri.EscapeDataString(domain);

    public Task<IReadOnlyList<JsonObject>> ListCloudTrustsAsync(CancellationToken cancellationToken) => CollectionAsync("kerberosServers", cancellationToken);

    public Task<JsonObject> GetCloudTrustAsync(string domain, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Get, TrustPath(domain), null, cancellationToken);

    public Task<JsonObject> SetCloudTrustAsync(string domain, JsonObject body, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Put, TrustPath(domain), body, cancellationToken);

    public Task<JsonObject> RotateCloudTrustAsync(string domain, bool force, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, TrustPath(domain) + "/rotate" + (force ? "?force=true" : string.Empty), null, cancellationToken);

    public async Task<byte[]> ExportCloudTrustKeytabAsync(string domain, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, TrustPath(domain) + "/keytab", null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveCloudTrustAsync(string domain, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, TrustPath(domain), null, cancellationToken).ConfigureAwait(false);
    }
}
