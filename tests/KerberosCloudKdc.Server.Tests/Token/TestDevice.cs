using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>A device as a client holds it: certificate + key (CN = device id) and a transport key pair.</summary>
internal sealed class TestDevice : IDisposable
{
    private TestDevice(Guid deviceId, RSA deviceKey, X509Certificate2 certificate, RSA transportKey)
    {
        DeviceId = deviceId;
        DeviceKey = deviceKey;
        Certificate = certificate;
        TransportKey = transportKey;
    }

    public Guid DeviceId { get; }

    public RSA DeviceKey { get; }

    public X509Certificate2 Certificate { get; }

    public RSA TransportKey { get; }

    public static TestDevice Create(Guid? deviceId = null, string? commonName = null)
    {
        var id = deviceId ?? Guid.NewGuid();
        var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName ?? id.ToString("D")}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return new TestDevice(id, key, certificate, RSA.Create(2048));
    }

    public string RegistrationJson(string name = "test-device") => new JsonObject
    {
        ["displayName"] = name,
        ["certificate"] = Convert.ToBase64String(Certificate.RawData),
        ["transportKey"] = Convert.ToBase64String(TransportKey.ExportSubjectPublicKeyInfo()),
    }.ToJsonString();

    /// <summary>An RS256 request JWT with this device's certificate in x5c, signed by <paramref name="signer"/> (default: the device key).</summary>
    public string SignRequest(JsonObject payload, RSA? signer = null, byte[]? x5c = null)
    {
        var header = new JsonObject
        {
            ["alg"] = "RS256",
            ["typ"] = "JWT",
            ["x5c"] = new JsonArray(Convert.ToBase64String(x5c ?? Certificate.RawData)),
            ["kdf_ver"] = 2,
        };
        var input = B64(header.ToJsonString()) + "." + B64(payload.ToJsonString());
        var signature = (signer ?? DeviceKey).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static JsonObject PasswordPayload(string nonce, string username, string password) => new()
    {
        ["client_id"] = "38aa3b87-a06d-4817-b275-7a316988d93b",
        ["request_nonce"] = nonce,
        ["scope"] = "openid aza ugs",
        ["grant_type"] = "password",
        ["username"] = username,
        ["password"] = password,
    };

    public static JsonObject RefreshPayload(string nonce, string refreshToken) => new()
    {
        ["client_id"] = "38aa3b87-a06d-4817-b275-7a316988d93b",
        ["request_nonce"] = nonce,
        ["scope"] = "openid aza ugs",
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
    };

    public void Dispose()
    {
        DeviceKey.Dispose();
        Certificate.Dispose();
        TransportKey.Dispose();
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
