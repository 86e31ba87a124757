using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// One of tgt_cloud / tgt_ad: a JSON string (double-encoded, as ESTS sends it) or, tolerated as libhimmelblau does, a
/// JSON object of clientKey, keyType, messageBuffer, realm, sn, cn, sessionKeyType, accountType and error.
/// </summary>
internal sealed record TgtEnvelope
{
    public required string Name { get; init; }

    public string ClientKey { get; init; } = string.Empty;

    public int KeyType { get; init; }

    public string MessageBuffer { get; init; } = string.Empty;

    public string? Realm { get; init; }

    public string? ServerName { get; init; }

    public string? ClientName { get; init; }

    public int SessionKeyType { get; init; }

    public int AccountType { get; init; }

    public string? Error { get; init; }

    /// <summary>keyType 0 means "no ticket" (ROADtools and libhimmelblau skip those).</summary>
    public bool HasTicket => KeyType != 0;

    public static TgtEnvelope Parse(string name, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var json = node switch
        {
            JsonObject o => o,
            JsonValue v when v.TryGetValue<string>(out var text) => ParseObject(name, text),
            _ => throw new LoginException($"{name} is neither a JSON string nor an object"),
        };
        return new TgtEnvelope
        {
            Name = name,
            ClientKey = Text(json, "clientKey") ?? string.Empty,
            KeyType = Number(json, name, "keyType"),
            MessageBuffer = Text(json, "messageBuffer") ?? string.Empty,
            Realm = Text(json, "realm"),
            ServerName = Text(json, "sn"),
            ClientName = Text(json, "cn"),
            SessionKeyType = Number(json, name, "sessionKeyType"),
            AccountType = Number(json, name, "accountType"),
            Error = Text(json, "error") is { Length: > 0 } error ? error : null,
        };
    }

    private static JsonObject ParseObject(string name, string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new LoginException($"{name} does not hold a JSON object");
        }
        catch (JsonException e)
        {
            throw new LoginException($"{name} is not valid JSON", e);
        }
    }

    private static string? Text(JsonObject json, string field) =>
        json[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int Number(JsonObject json, string name, string field) => json[field] switch
    {
        null => 0,
        JsonValue v when v.TryGetValue<int>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new LoginException($"{name}.{field} is not a number"),
    };
}
