using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// What login received, for --json: response fields, id_token claims, each TGT's envelope and ticket times, and where
/// the caches went. Keys (session key, client keys, ticket session keys) only with --show-keys, and the PRT never.
/// </summary>
internal static class LoginReport
{
    public static JsonObject Build(LoginOutcome outcome, string? cloudCache, string? adCache, bool showKeys)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var response = outcome.Response;
        var report = new JsonObject
        {
            ["token_type"] = Copy(response, "token_type"),
            ["expires_in"] = Copy(response, "expires_in"),
            ["expires_on"] = Copy(response, "expires_on"),
            ["refresh_token_received"] = response.ContainsKey("refresh_token"),
            ["id_token"] = JwtPayload(response["id_token"]),
            ["client_info"] = ClientInfo(response["client_info"]),
            ["kerberos_top_level_names"] = Copy(response, "kerberos_top_level_names"),
            ["tgt_cloud"] = Tgt(outcome.Cloud, cloudCache, showKeys),
            ["tgt_ad"] = outcome.OnPremises is { } ad ? Tgt(ad, adCache, showKeys) : null,
        };
        if (showKeys && outcome.SessionKey is { } sessionKey)
        {
            report["session_key"] = Convert.ToBase64String(sessionKey);
        }

        return report;
    }

    private static JsonObject Tgt(TgtResult result, string? cache, bool showKeys)
    {
        var json = new JsonObject
        {
            ["realm"] = result.Envelope?.Realm,
            ["sn"] = result.Envelope?.ServerName,
            ["cn"] = result.Envelope?.ClientName,
            ["keyType"] = result.Envelope?.KeyType,
            ["error"] = result.Error,
        };
        if (result.Ticket is { } ticket)
        {
            var part = ticket.Part;
            json["client"] = $"{ticket.Client}@{ticket.ClientRealm}";
            json["server"] = $"{part.ServerName}@{part.ServerRealm}";
            json["authTime"] = Time(part.AuthTime);
            json["startTime"] = Time(part.StartTime ?? part.AuthTime);
            json["endTime"] = Time(part.EndTime);
            json["renewTill"] = part.RenewTill is { } renew ? Time(renew) : null;
            json["ccache"] = cache;
            if (showKeys)
            {
                json["clientKey"] = Convert.ToBase64String(ticket.ClientKey);
                json["sessionKey"] = Convert.ToBase64String(part.Key.KeyValue.Span);
            }
        }

        return json;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonNode? Copy(JsonObject json, string name) => json[name]?.DeepClone();

    /// <summary>
    /// The id_token's claims for display. The signature is not checked here: login does not rely on any claim, and the
    /// TGT it does use is authenticated by the AES-GCM and Kerberos integrity checks.
    /// </summary>
    private static JsonNode? JwtPayload(JsonNode? token)
    {
        if (token is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return null;
        }

        var parts = text.Split('.');
        return parts.Length == 3 ? DecodeJson(parts[1]) : null;
    }

    private static JsonNode? ClientInfo(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? DecodeJson(text.TrimEnd('=')) : null;

    private static JsonNode? DecodeJson(string base64Url)
    {
        try
        {
            return JsonNode.Parse(Base64Url.DecodeFromChars(base64Url));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return "(not decodable)";
        }
    }
}
