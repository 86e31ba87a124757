using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>Finds one object among Graph JSON objects by id, display name or UPN (case-insensitive).</summary>
internal static class CliLookup
{
    private static readonly string[] NameFields = ["id", "userPrincipalName", "onPremisesSamAccountName", "displayName"];

    public static T Single<T>(IReadOnlyList<(T Item, JsonObject Json)> items, string name, string kind, string scope)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var field in NameFields)
        {
            var matches = items.Where(i => string.Equals(Text(i.Json, field), name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1)
            {
                return matches[0].Item;
            }

            if (matches.Count > 1)
            {
                throw new CliException($"{kind}: '{name}' names {matches.Count} objects in tenant {scope}; give the id");
            }
        }

        throw new CliException($"{kind}: no {kind} '{name}' in tenant {scope}");
    }

    public static string? Text(JsonObject json, string field)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : json[field]?.ToJsonString();
    }
}
