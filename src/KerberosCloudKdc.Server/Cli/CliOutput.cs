using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>Human tables or JSON (--json) on stdout; messages on stderr.</summary>
internal sealed class CliOutput(TextWriter output, TextWriter error, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Json { get; } = json;

    public void WriteJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        Out.WriteLine(node.ToJsonString(Indented));
    }

    /// <summary>A table of the given fields of each object (JSON: the objects themselves).</summary>
    public void Table(IReadOnlyList<JsonObject> items, params (string Header, string Field)[] columns)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (Json)
        {
            WriteJson(new JsonArray([.. items.Select(i => i.DeepClone())]));
            return;
        }

        var rows = items.Select(item => columns.Select(c => Cell(item, c.Field)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Out.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            Out.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        if (rows.Count == 0)
        {
            Out.WriteLine("(none)");
        }
    }

    /// <summary>One object as "Label: value" lines (JSON: the object).</summary>
    public void Record(JsonObject item, params (string Label, string Field)[] fields)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (Json)
        {
            WriteJson(item);
            return;
        }

        var width = fields.Length == 0 ? 0 : fields.Max(f => f.Label.Length) + 1;
        foreach (var (label, field) in fields)
        {
            Out.WriteLine($"{(label + ":").PadRight(width)} {Cell(item, field)}");
        }
    }

    /// <summary>A line for people only (not in --json output).</summary>
    public void Note(string text)
    {
        if (!Json)
        {
            Out.WriteLine(text);
        }
    }

    private static string Cell(JsonObject item, string path)
    {
        JsonNode? node = item;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => "-",
            JsonArray array => string.Join(",", array.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : a?.ToJsonString())),
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }
}
