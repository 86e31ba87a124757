using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// Device registration shared by the admin API and the offline CLI (docs/token-path.md §2): validation of the
/// registration body into a <see cref="RegisteredDevice"/>, PATCH of accountEnabled / displayName, and the
/// Graph-like JSON of a device (never the keys themselves, only the certificate thumbprint).
/// </summary>
internal static class DeviceAdministration
{
    public static readonly string[] RegisterFields = ["displayName", "deviceId", "certificate", "transportKey"];
    public static readonly string[] UpdateFields = ["displayName", "accountEnabled"];
    public static readonly string[] ReadOnlyFields = ["id", "certificateThumbprint", "registrationDateTime"];

    private const int MaxKeyText = 16 * 1024;

    public static JsonObject DeviceJson(RegisteredDevice device) => new()
    {
        ["@odata.type"] = "#microsoft.graph.device",
        ["id"] = device.ObjectId.ToString("D"),
        ["deviceId"] = device.DeviceId.ToString("D"),
        ["displayName"] = device.DisplayName,
        ["accountEnabled"] = device.AccountEnabled,
        ["certificateThumbprint"] = DeviceRegistration.Thumbprint(device),
        ["registrationDateTime"] = GraphJson.Time(device.RegisteredOn),
    };

    /// <summary>A new device from a registration body; null and a "field: problem" text on bad input.</summary>
    public static RegisteredDevice? Register(JsonElement body, DateTimeOffset now, out string? invalid)
    {
        var reader = new BodyReader(body, RegisterFields, ReadOnlyFields);
        var displayName = reader.String("displayName", 256);
        var deviceId = reader.String("deviceId", 64);

        // PEM has line breaks, which BodyReader.String refuses as control characters; read these two raw.
        var certificate = KeyText(body, "certificate", reader);
        var transportKey = KeyText(body, "transportKey", reader);
        if (reader.Message() is { } message)
        {
            invalid = message;
            return null;
        }

        return Create(deviceId, displayName, certificate!, transportKey!, now, out invalid);
    }

    /// <summary>Builds the device from texts (CLI files, API fields); null and the problem text when unusable.</summary>
    public static RegisteredDevice? Create(string? deviceId, string? displayName, string certificate, string transportKey, DateTimeOffset now, out string? invalid)
    {
        try
        {
            invalid = null;
            return DeviceRegistration.Create(Guid.NewGuid(), deviceId, displayName, certificate, transportKey, now);
        }
        catch (ArgumentException e)
        {
            // The messages are ours ("field: problem"); the parameter suffix .NET appends is dropped.
            invalid = e.Message.Split(" (Parameter", 2)[0];
            return null;
        }
    }

    /// <summary>PATCH: accountEnabled and displayName only.</summary>
    public static RegisteredDevice? Update(JsonElement body, RegisteredDevice existing, out string? invalid)
    {
        var reader = new BodyReader(body, UpdateFields, [.. ReadOnlyFields, "deviceId", "certificate", "transportKey"]);
        var displayName = reader.String("displayName", 256);
        var enabled = reader.Bool("accountEnabled");
        invalid = reader.Message();
        return invalid is null
            ? existing with { DisplayName = displayName ?? existing.DisplayName, AccountEnabled = enabled ?? existing.AccountEnabled }
            : null;
    }

    private static string? KeyText(JsonElement body, string name, BodyReader reader)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            reader.Error(name, "required (DER base64 or PEM)");
            return null;
        }

        if (text.Length > MaxKeyText)
        {
            reader.Error(name, $"longer than {MaxKeyText} characters");
            return null;
        }

        return text;
    }
}
