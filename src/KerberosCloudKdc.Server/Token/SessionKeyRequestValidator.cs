using System.Security.Cryptography;
using System.Text.Json;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// A session-key-signed (HS256) PRT request, as CloudAP and ROADtools send to renew a PRT (facts §3.1, §3.4;
/// docs/token-path.md §1.2). The signing key lives inside the PRT the payload presents, so the PRT is opened
/// from the still-unverified payload first; nothing else of the payload is trusted until the HMAC checks out.
/// The device, tenant, expiry, nonce and user checks that follow are the refresh path's own, in TokenService.
/// </summary>
internal static class SessionKeyRequestValidator
{
    // Windows and ROADtools send 24 bytes; a little slack either way costs nothing, unbounded input would.
    private const int MinContextLength = 8;
    private const int MaxContextLength = 64;

    public static (PrimaryRefreshToken? Presented, EntraError? Error) Verify(SignedJwt jwt, PrimaryRefreshTokenProtector prtProtector)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(prtProtector);
        if (ContextOf(jwt.Header) is not { } ctx)
        {
            return (null, EntraError.InvalidRequest("the request JWT's ctx is missing or not base64 of 8 to 64 bytes"));
        }

        if (KdfVersionOf(jwt.Header) is not { } kdfVersion)
        {
            return (null, EntraError.InvalidRequest("the request JWT's kdf_ver must be 1 or 2"));
        }

        // Only the PRT renewal is offered with a session key; other session-key grants (access tokens) are not emulated.
        var grant = PrtRequestValidator.String(jwt.Payload, "grant_type");
        if (grant != TokenService.RefreshTokenGrant)
        {
            return (null, grant is null ? EntraError.MissingParameter("grant_type") : EntraError.UnsupportedGrantType());
        }

        var refreshToken = PrtRequestValidator.String(jwt.Payload, "refresh_token");
        if (refreshToken is null)
        {
            return (null, EntraError.MissingParameter("refresh_token"));
        }

        if (prtProtector.Unseal(refreshToken) is not { } presented)
        {
            return (null, EntraError.InvalidGrant("the refresh token is not valid"));
        }

        var expected = SecureConversationKey.SignRequest(presented.SessionKey, kdfVersion, ctx, jwt.PayloadBytes, jwt.SigningInput);
        return CryptographicOperations.FixedTimeEquals(expected, jwt.Signature) ? (presented, null) : (null, EntraError.BadSignature());
    }

    private static byte[]? ContextOf(JsonElement header)
    {
        if (PrtRequestValidator.String(header, "ctx") is not { Length: <= 128 } text)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(text);
            return bytes.Length is >= MinContextLength and <= MaxContextLength ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>1 when absent (the older clients' KDF), else the number 1 or 2; anything else is refused.</summary>
    private static int? KdfVersionOf(JsonElement header)
    {
        if (!header.TryGetProperty("kdf_ver", out var value))
        {
            return 1;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var version) && version is 1 or 2 ? version : null;
    }
}
