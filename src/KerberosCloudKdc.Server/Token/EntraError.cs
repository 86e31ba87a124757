using System.Globalization;
using System.Text.Json;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// A token endpoint refusal in Entra's shape (docs/token-path.md §1.5): OAuth error, AADSTS code and text.
/// Codes are Entra's documented ones where one fits; the few that are guesses say so.
/// </summary>
internal sealed record EntraError(int Status, string Error, int Code, string Text)
{
    public static EntraError MissingParameter(string name) =>
        new(400, "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.");

    public static EntraError TenantNotFound(string tenant) =>
        new(400, "invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");

    public static EntraError UnsupportedGrantType() =>
        new(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");

    public static EntraError InvalidCredentials() =>
        new(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");

    public static EntraError UserNotFound() =>
        new(400, "invalid_grant", 50034, "The user account does not exist in the directory.");

    public static EntraError UserDisabled() =>
        new(400, "invalid_grant", 50057, "The user account is disabled.");

    public static EntraError DeviceNotFound() =>
        new(400, "invalid_grant", 700003, "Device object was not found in the tenant's directory.");

    public static EntraError DeviceAuthenticationFailed(string why) =>
        new(400, "invalid_grant", 50155, "Device authentication failed: " + why);

    public static EntraError DeviceDisabled() =>
        new(400, "invalid_grant", 135011, "Device used during the authentication is disabled.");

    public static EntraError BadSignature() =>
        new(400, "invalid_grant", 50013, "Assertion failed signature validation.");

    // 9002313 is Entra's "request is malformed or invalid"; using it for a bad nonce is a guess.
    public static EntraError InvalidRequest(string why) =>
        new(400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid: " + why);

    // The id_token's aud is the client_id: only a GUID, as Entra's application ids are, may end up there.
    public static EntraError UnknownClient() =>
        new(400, "unauthorized_client", 700016, "Application with the given identifier was not found in the directory.");

    public static EntraError InvalidGrant(string why) =>
        new(400, "invalid_grant", 70000, "Provided grant is invalid or malformed: " + why);

    public static EntraError RefreshTokenExpired() =>
        new(400, "invalid_grant", 700082, "The refresh token has expired.");

    // 90015 is Entra's "query string too long"; the body-size twin is a guess.
    public static EntraError TooLarge(int limit) =>
        new(413, "invalid_request", 90015, $"The request body is larger than {limit} bytes.");

    public static EntraError MethodNotAllowed() =>
        new(405, "invalid_request", 90056, "The token endpoint only accepts POST requests.");

    public static EntraError ServerError() =>
        new(500, "server_error", 90033, "A transient error has occurred. Please try again.");

    /// <summary>"AADSTSnnnnn: text", the form used in sign-in log reasons.</summary>
    public string Summary => $"AADSTS{Code.ToString(CultureInfo.InvariantCulture)}: {Text}";

    /// <summary>The JSON body: description ends with Trace ID, Correlation ID and Timestamp lines, as Entra's do.</summary>
    public byte[] ToJson(string traceId, string correlationId, DateTimeOffset now)
    {
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("error", Error);
            w.WriteString("error_description", $"{Summary}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}");
            w.WriteStartArray("error_codes");
            w.WriteNumberValue(Code);
            w.WriteEndArray();
            w.WriteString("timestamp", timestamp);
            w.WriteString("trace_id", traceId);
            w.WriteString("correlation_id", correlationId);
            w.WriteString("error_uri", "https://login.microsoftonline.com/error?code=" + Code.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
