using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>Graph-shaped responses and errors: { "error": { "code", "message" } }.</summary>
internal static class GraphJson
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IResult Ok(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);

    public static IResult Collection(IEnumerable<JsonNode> items, string? nextLink = null)
    {
        var body = new JsonObject { ["value"] = new JsonArray([.. items]) };
        if (nextLink is not null)
        {
            body["@odata.nextLink"] = nextLink;
        }

        return Ok(body);
    }

    public static IResult Error(int status, string code, string message) => Ok(
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "Request_BadRequest", message);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "Request_ResourceNotFound", message);

    public static IResult Conflict(string field, string message) =>
        Error(StatusCodes.Status409Conflict, "Request_MultipleObjectsWithSameKeyValue", $"{field}: {message}");

    public static IResult Forbidden() => Error(StatusCodes.Status403Forbidden, "Authorization_RequestDenied", "This key does not administer that tenant.");

    public static IResult Unauthorized() => Error(StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "Access token is missing or invalid.");

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a JSON object body of at most <see cref="MaxBodyBytes"/>; an empty body is null when <paramref name="optional"/>.</summary>
    public static async Task<(JsonElement? Body, IResult? Error)> ReadObjectAsync(HttpContext context, bool optional = false)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional ? (null, null) : (null, BadRequest("body: a JSON object is required"));
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, BadRequest("body: must be a JSON object"));
        }
        catch (JsonException)
        {
            return (null, BadRequest("body: not valid JSON"));
        }
    }

    private static IResult TooLarge() =>
        Error(StatusCodes.Status413PayloadTooLarge, "Request_EntityTooLarge", $"body: larger than {MaxBodyBytes} bytes");
}

/// <summary>
/// Reads the properties of a request object, collecting "field: problem" errors. Unknown properties are
/// refused (except @odata.* annotations), read-only ones too, so a typo never silently does nothing.
/// </summary>
internal sealed class BodyReader
{
    private readonly JsonElement body;
    private readonly string prefix;

    public BodyReader(JsonElement body, IEnumerable<string> allowed, IEnumerable<string>? readOnly = null)
        : this(body, allowed, readOnly, string.Empty, [])
    {
    }

    private BodyReader(JsonElement body, IEnumerable<string> allowed, IEnumerable<string>? readOnly, string prefix, List<string> errors)
    {
        this.body = body;
        this.prefix = prefix;
        Errors = errors;
        var known = new HashSet<string>(allowed, StringComparer.Ordinal);
        var fixedOnes = new HashSet<string>(readOnly ?? [], StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name.StartsWith("@odata.", StringComparison.Ordinal) || known.Contains(property.Name))
            {
                continue;
            }

            Errors.Add(fixedOnes.Contains(property.Name) ? $"{prefix}{property.Name}: read-only" : $"{prefix}{property.Name}: unknown property");
        }
    }

    public List<string> Errors { get; }

    public bool Has(string name) => body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public void Error(string name, string message) => Errors.Add($"{prefix}{name}: {message}");

    public string? String(string name, int maxLength, bool required = false)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(name, "required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if ((required && string.IsNullOrWhiteSpace(text)) || text.Length > maxLength || text.Any(char.IsControl))
        {
            Error(name, $"must be 1-{maxLength} printable characters");
            return null;
        }

        return text;
    }

    public bool? Bool(string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(name, "must be true or false");
            return null;
        }

        return value.GetBoolean();
    }

    public DateTimeOffset? Time(string name)
    {
        var text = String(name, 64);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            Error(name, "not an ISO 8601 date and time");
            return null;
        }

        return time;
    }

    public List<string>? Strings(string name, int maxItems, int maxLength)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            Error(name, $"must be an array of at most {maxItems} strings");
            return null;
        }

        var result = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text || text.Length > maxLength || text.Any(char.IsControl))
            {
                Error($"{name}[{index}]", $"must be a string of 1-{maxLength} printable characters");
            }
            else
            {
                result.Add(text);
            }

            index++;
        }

        return result;
    }

    public BodyReader? Object(string name, IEnumerable<string> allowed)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, "must be an object");
            return null;
        }

        return new BodyReader(value, allowed, null, $"{prefix}{name}.", Errors);
    }

    /// <summary>The 400 for the collected errors, or null when there are none.</summary>
    public IResult? Result() => Message() is { } message ? GraphJson.BadRequest(message) : null;

    /// <summary>The collected errors as one "field: problem; …" text, or null when there are none.</summary>
    public string? Message() => Errors.Count == 0 ? null : string.Join("; ", Errors);
}
