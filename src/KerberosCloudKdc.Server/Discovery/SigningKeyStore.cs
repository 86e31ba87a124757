using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace KerberosCloudKdc.Server.Discovery;

/// <summary>
/// The token-signing key published at the JWKS endpoints: RSA-2048 in a self-signed certificate, as
/// Entra publishes its keys (kid = x5t = base64url SHA-1 thumbprint). Created on first use in
/// DataDirectory/signing (key file owner-only) and reused after, so the kid is stable across restarts.
/// </summary>
public sealed class SigningKeyStore(DataDirectory dataDirectory, TimeProvider clock)
{
    public const string CertificateFile = "token-signing.pem";
    public const string KeyFile = "token-signing.key";

    private readonly Lock gate = new();
    private SigningKey? current;

    public SigningKey Current
    {
        get
        {
            lock (gate)
            {
                return current ??= LoadOrCreate();
            }
        }
    }

    private SigningKey LoadOrCreate()
    {
        var directory = dataDirectory.Subdirectory("signing");
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        var now = clock.GetUtcNow();
        X509Certificate2? certificate = null;
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            }
            catch (CryptographicException)
            {
                certificate = null;
            }
        }

        if (certificate is null || certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            certificate?.Dispose();
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=CloudKdc token signing (lab)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
            DataDirectory.WriteFile(keyPath, rsa.ExportPkcs8PrivateKeyPem(), secret: true);
            DataDirectory.WriteFile(certificatePath, certificate.ExportCertificatePem() + "\n", secret: false);
        }

        var jwk = JsonWebKeyConverter.ConvertFromX509SecurityKey(new X509SecurityKey(certificate), representAsRsaKey: true);
        jwk.Use = JsonWebKeyUseNames.Sig;
        jwk.Kid = jwk.X5t = Base64UrlEncoder.Encode(certificate.GetCertHash());
        jwk.X5c.Clear();
        jwk.X5c.Add(Convert.ToBase64String(certificate.RawData));
        return new SigningKey(certificate, jwk);
    }
}

/// <summary>The signing certificate (with private key) and its public JWK.</summary>
public sealed record SigningKey(X509Certificate2 Certificate, JsonWebKey PublicJwk);
