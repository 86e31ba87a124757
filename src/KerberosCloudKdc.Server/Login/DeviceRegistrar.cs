using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// Registers a device through the emulator's admin API (POST /{tenant}/v1.0/devices, docs/token-path.md §2): the
/// stand-in for Entra device join, which real Entra does through the device registration service instead.
/// </summary>
internal sealed class DeviceRegistrar(HttpClient http, Uri server)
{
    /// <summary>Registers the device unless the state file says it already is; returns true when this call registered it.</summary>
    public async Task<bool> EnsureRegisteredAsync(DeviceIdentity device, string tenant, string apiKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (await DeviceRegistrationState.IsRegisteredAsync(device.Directory, server, tenant, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var body = new JsonObject
        {
            ["displayName"] = $"cloudkdc login on {Environment.MachineName}",
            ["deviceId"] = device.DeviceId.ToString("D"),
            ["certificate"] = Convert.ToBase64String(device.Certificate.RawData),
            ["transportKey"] = Convert.ToBase64String(device.TransportKey.ExportSubjectPublicKeyInfo()),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, DevicesUri(tenant)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await TokenEndpointClient.SendAsync(http, request, cancellationToken).ConfigureAwait(false);
        var created = response.StatusCode switch
        {
            HttpStatusCode.Created or HttpStatusCode.OK => true,
            HttpStatusCode.Conflict => await SameCertificateRegisteredAsync(device, tenant, apiKey, cancellationToken).ConfigureAwait(false)
                ? false
                : throw new LoginException($"device {device.DeviceId} is registered in tenant {tenant} with another certificate; use a new --device directory"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                throw new LoginException("device registration: the server refused the admin API key (--api-key / CLOUDKDC_API_KEY)"),
            _ => throw new LoginException($"device registration failed: {await AdminErrorAsync(response, cancellationToken).ConfigureAwait(false)}"),
        };
        await DeviceRegistrationState.RememberAsync(device.Directory, server, tenant, device.DeviceId, cancellationToken).ConfigureAwait(false);
        return created;
    }

    private Uri DevicesUri(string tenant) => new(server, $"{Uri.EscapeDataString(tenant)}/v1.0/devices");

    /// <summary>
    /// A 409 means the deviceId or the certificate is taken. It is ours (a registration whose state file was lost) when
    /// the listed device with our id shows our certificate's thumbprint.
    /// </summary>
    private async Task<bool> SameCertificateRegisteredAsync(DeviceIdentity device, string tenant, string apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, DevicesUri(tenant));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await TokenEndpointClient.SendAsync(http, request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        JsonNode? list;
        try
        {
            list = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return false;
        }

        var thumbprints = new[]
        {
            // Graph shows the SHA-1 thumbprint; the emulator may use SHA-256. Either identifies our certificate.
            device.Certificate.Thumbprint,
            device.Certificate.GetCertHashString(HashAlgorithmName.SHA256),
        };
        return (list?["value"] as JsonArray ?? []).OfType<JsonObject>().Any(d =>
            string.Equals(Text(d, "deviceId"), device.DeviceId.ToString("D"), StringComparison.OrdinalIgnoreCase)
            && thumbprints.Contains(Text(d, "certificateThumbprint")?.Replace(":", string.Empty, StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase));
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static async Task<string> AdminErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? message = null;
        try
        {
            message = JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not the admin API's error shape: the status code has to do.
        }

        return $"{message ?? "unexpected answer"} (HTTP {(int)response.StatusCode})";
    }
}
