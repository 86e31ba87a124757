using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>Device registration through /{tenant}/v1.0/devices; the API accepts object id or deviceId in the path.</summary>
internal sealed partial class OnlineBackend
{
    public Task<IReadOnlyList<JsonObject>> ListDevicesAsync(CancellationToken cancellationToken) => CollectionAsync("devices", cancellationToken);

    public Task<JsonObject> RegisterDeviceAsync(JsonObject body, CancellationToken cancellationToken) => JsonAsync(HttpMethod.Post, "devices", body, cancellationToken);

    public async Task<JsonObject> UpdateDeviceAsync(string device, JsonObject patch, CancellationToken cancellationToken)
    {
        var path = "devices/" + Uri.EscapeDataString(device);
        await JsonAsync(HttpMethod.Patch, path, patch, cancellationToken).ConfigureAwait(false);
        return await JsonAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteDeviceAsync(string device, CancellationToken cancellationToken) =>
        await JsonAsync(HttpMethod.Delete, "devices/" + Uri.EscapeDataString(device), null, cancellationToken).ConfigureAwait(false);
}
