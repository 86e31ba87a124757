using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Server.Discovery;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// id_token of a token response (docs/token-path.md §1.3): RS256 with the key the tenant's JWKS publishes,
/// v1 issuer sts.windows.net, the user's directory claims and, for device sign-ins, deviceid.
/// </summary>
internal sealed class IdTokenBuilder(SigningKeyStore signingKeys, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public string Create(Tenant tenant, DirectoryUser user, string audience, Guid? deviceId)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(user);
        var key = signingKeys.Current;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var header = Json(w =>
        {
            w.WriteString("typ", "JWT");
            w.WriteString("alg", "RS256");
            w.WriteString("kid", key.PublicJwk.Kid);
            w.WriteString("x5t", key.PublicJwk.X5t);
        });
        var payload = Json(w =>
        {
            w.WriteString("aud", audience);
            w.WriteString("iss", $"https://sts.windows.net/{tenant.Id:D}/");
            w.WriteNumber("iat", now);
            w.WriteNumber("nbf", now);
            w.WriteNumber("exp", now + (long)Lifetime.TotalSeconds);
            w.WriteStartArray("amr");
            w.WriteStringValue("pwd");
            w.WriteEndArray();
            if (deviceId is { } device)
            {
                w.WriteString("deviceid", device.ToString("D"));
            }

            w.WriteString("name", user.DisplayName);
            w.WriteString("oid", user.ObjectId.ToString("D"));
            if (user.OnPremises is { } onPremises)
            {
                w.WriteString("onprem_sid", onPremises.SecurityIdentifier.ToString());
            }

            // Entra's sub is pairwise per application; a hash of object id and audience has that property.
            w.WriteString("sub", Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(user.ObjectId.ToString("D") + "|" + audience))));
            w.WriteString("tid", tenant.Id.ToString("D"));
            w.WriteString("unique_name", user.UserPrincipalName);
            w.WriteString("upn", user.UserPrincipalName);
            w.WriteString("ver", "1.0");
        });

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        using var rsa = key.Certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The signing certificate has no RSA private key.");
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
