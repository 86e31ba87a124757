using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// prt.json in the device directory: the last PRT and its session key per (server, tenant, user), written owner-only
/// (0600) like the device's private keys, since either one lets its holder renew the user's sign-in. A file others can
/// read is refused rather than used, as ssh refuses an open private key.
/// </summary>
internal static class PrtStore
{
    public const string FileName = "prt.json";

    public static async Task<StoredPrt?> FindAsync(string directory, Uri server, string tenant, string user, CancellationToken cancellationToken)
    {
        var entries = await ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        var entry = entries.OfType<JsonObject>().FirstOrDefault(e => Matches(e, server, tenant, user));
        if (entry is null || Text(entry, "refreshToken") is not { Length: > 0 } prt || Text(entry, "sessionKey") is not { } key)
        {
            return null;
        }

        try
        {
            var sessionKey = Convert.FromBase64String(key);
            return sessionKey.Length == SessionKeyJwe.SessionKeyLength ? new StoredPrt(prt, sessionKey) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static async Task SaveAsync(string directory, Uri server, string tenant, string user, StoredPrt prt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prt);
        var entries = await ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        foreach (var stale in entries.OfType<JsonObject>().Where(e => Matches(e, server, tenant, user)).ToList())
        {
            entries.Remove(stale);
        }

        entries.Add(new JsonObject
        {
            ["server"] = Key(server),
            ["tenant"] = tenant,
            ["user"] = user,
            ["refreshToken"] = prt.RefreshToken,
            ["sessionKey"] = Convert.ToBase64String(prt.SessionKey),
            ["savedOn"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        OwnerOnlyFile.CreatePrivateDirectory(directory);
        var document = new JsonObject { ["prts"] = entries };
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

        if (OwnerOnlyFile.IsTooOpen(path))
        {
            throw new LoginException($"{path} is accessible to group or others; run chmod 600 on it (or delete it and sign in with a password)");
        }

        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(text) is JsonObject root && root["prts"] is JsonArray array ? (JsonArray)array.DeepClone() : [];
        }
        catch (JsonException)
        {
            // A damaged file only means the next --refresh needs a password sign-in first; the next save replaces it.
            return [];
        }
    }

    private static bool Matches(JsonObject entry, Uri server, string tenant, string user) =>
        string.Equals(Text(entry, "server"), Key(server), StringComparison.OrdinalIgnoreCase)
        && string.Equals(Text(entry, "tenant"), tenant, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Text(entry, "user"), user, StringComparison.OrdinalIgnoreCase);

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Key(Uri server) => server.GetLeftPart(UriPartial.Authority);
}
