using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// The first checks of a PRT request (docs/token-path.md §1.2), in order: the JWT is well-formed RS256 with
/// an x5c certificate, the signature verifies with that certificate's key, and its subject CN is a GUID.
/// Whether the certificate belongs to a registered device is the caller's next check. An HS256 request is
/// handed to <see cref="SessionKeyRequestValidator"/>, which proves it with the presented PRT's session key.
/// </summary>
internal static class PrtRequestValidator
{
    public static (PrtRequest? Request, EntraError? Error) Validate(string? jwt, PrimaryRefreshTokenProtector prtProtector)
    {
        if (string.IsNullOrEmpty(jwt))
        {
            return (null, EntraError.MissingParameter("request"));
        }

        var parts = jwt.Split('.');
        if (parts.Length != 3 || TryDecode(parts[0]) is not { } headerBytes || TryDecode(parts[1]) is not { } payloadBytes
            || TryDecode(parts[2]) is not { } signature)
        {
            return (null, EntraError.InvalidRequest("the request is not a signed JWT"));
        }

        JsonElement header;
        JsonElement payload;
        try
        {
            using var headerDocument = JsonDocument.Parse(headerBytes);
            using var payloadDocument = JsonDocument.Parse(payloadBytes);
            header = headerDocument.RootElement.Clone();
            payload = payloadDocument.RootElement.Clone();
        }
        catch (JsonException)
        {
            return (null, EntraError.InvalidRequest("the JWT header or payload is not JSON"));
        }

        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object)
        {
            return (null, EntraError.InvalidRequest("the JWT header or payload is not a JSON object"));
        }

        var alg = String(header, "alg");
        if (alg == "HS256")
        {
            var signed = new SignedJwt(parts[0] + "." + parts[1], header, payload, payloadBytes, signature);
            var (presented, refused) = SessionKeyRequestValidator.Verify(signed, prtProtector);
            return presented is null ? (null, refused) : FromPayload(payload, null, presented.DeviceId, presented);
        }

        if (alg != "RS256")
        {
            return (null, EntraError.InvalidRequest("the request JWT must be RS256 or HS256"));
        }

        if (!header.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() == 0
            || x5c[0].ValueKind != JsonValueKind.String)
        {
            return (null, EntraError.InvalidRequest("the request JWT has no x5c certificate"));
        }

        byte[] der;
        X509Certificate2 certificate;
        try
        {
            der = Convert.FromBase64String(x5c[0].GetString()!);
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return (null, EntraError.InvalidRequest("the x5c certificate does not parse"));
        }

        using (certificate)
        {
            // Certificates are parsed lazily: a corrupt key inside a well-formed certificate only throws here.
            RSA? rsa;
            try
            {
                rsa = certificate.GetRSAPublicKey();
            }
            catch (CryptographicException)
            {
                return (null, EntraError.InvalidRequest("the x5c certificate does not parse"));
            }

            using var rsaKey = rsa;
            if (rsa is null)
            {
                return (null, EntraError.InvalidRequest("the device certificate has no RSA key"));
            }

            var signedPart = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            bool verified;
            try
            {
                verified = rsa.VerifyData(signedPart, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            catch (CryptographicException)
            {
                verified = false;
            }

            if (!verified)
            {
                return (null, EntraError.BadSignature());
            }

            if (!Guid.TryParse(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false), out var deviceId))
            {
                return (null, EntraError.DeviceAuthenticationFailed("the device certificate's subject CN is not a device id"));
            }

            return FromPayload(payload, der, deviceId, presented: null);
        }
    }

    private static (PrtRequest? Request, EntraError? Error) FromPayload(JsonElement payload, byte[]? certificate, Guid deviceId, PrimaryRefreshToken? presented)
    {
        var clientId = String(payload, "client_id");
        if (clientId is not null && !Guid.TryParse(clientId, out _))
        {
            return (null, EntraError.UnknownClient());
        }

        return (new PrtRequest
        {
            Certificate = certificate,
            DeviceId = deviceId,
            Presented = presented,
            ClientId = clientId,
            Nonce = String(payload, "request_nonce"),
            GrantType = String(payload, "grant_type"),
            Username = String(payload, "username"),
            Password = String(payload, "password"),
            RefreshToken = String(payload, "refresh_token"),
        }, null);
    }

    internal static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? TryDecode(string segment) => Base64UrlText.TryDecode(segment);
}
