using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The <c>request</c> JWT of a PRT request (docs/token-path.md §1.2): RS256 over the device key, the device certificate
/// in x5c, kdf_ver 2, and a password-grant payload bound to the server's nonce.
/// </summary>
internal static class PrtRequestJwt
{
    /// <summary>The Windows login broker's client id, which CloudAP sends; the emulator takes any GUID.</summary>
    public const string WindowsBrokerClientId = "38aa3b87-a06d-4817-b275-7a316988d93b";

    public static string Create(X509Certificate2 deviceCertificate, string nonce, string username, string password, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deviceCertificate);
        using var key = deviceCertificate.GetRSAPrivateKey() ?? throw new LoginException("the device certificate has no RSA private key");
        var header = new JsonObject
        {
            ["alg"] = "RS256",
            ["typ"] = "JWT",
            ["x5c"] = new JsonArray(Convert.ToBase64String(deviceCertificate.RawData)),
            ["kdf_ver"] = 2,
        };
        var payload = new JsonObject
        {
            ["client_id"] = WindowsBrokerClientId,
            ["request_nonce"] = nonce,
            ["scope"] = "openid aza ugs",
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["iat"] = now.ToUnixTimeSeconds(),
        };
        var signingInput = Segment(header) + "." + Segment(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Segment(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
