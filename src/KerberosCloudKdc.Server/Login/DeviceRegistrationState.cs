using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// Which servers and tenants a device directory is registered with (registration.json next to the keys), so
/// <c>--register</c> calls the admin API once per server and tenant rather than on every login.
/// </summary>
internal static class DeviceRegistrationState
{
    public const string FileName = "registration.json";

    public static async Task<bool> IsRegisteredAsync(string directory, Uri server, string tenant, CancellationToken cancellationToken)
    {
        var entries = await ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        return entries.OfType<JsonObject>().Any(e => Matches(e, server, tenant));
    }

    public static async Task RememberAsync(string directory, Uri server, string tenant, Guid deviceId, CancellationToken cancellationToken)
    {
        var entries = await ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        if (entries.OfType<JsonObject>().Any(e => Matches(e, server, tenant)))
        {
            return;
        }

        entries.Add(new JsonObject
        {
            ["server"] = Key(server),
            ["tenant"] = tenant,
            ["deviceId"] = deviceId.ToString("D"),
            ["registeredOn"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        var document = new JsonObject { ["registrations"] = entries };
        await OwnerOnlyFile.WriteTextAsync(Path.Combine(directory, FileName), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<JsonArray> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(text) is JsonObject root && root["registrations"] is JsonArray array ? (JsonArray)array.DeepClone() : [];
        }
        catch (JsonException)
        {
            // A damaged state file only costs one more registration call (which a 409 answers harmlessly).
            return [];
        }
    }

    private static bool Matches(JsonObject entry, Uri server, string tenant) =>
        string.Equals(Text(entry, "server"), Key(server), StringComparison.OrdinalIgnoreCase)
        && string.Equals(Text(entry, "tenant"), tenant, StringComparison.OrdinalIgnoreCase);

    // A hand-edited file may hold numbers or objects where strings belong; those entries just don't match.
    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority);
}
