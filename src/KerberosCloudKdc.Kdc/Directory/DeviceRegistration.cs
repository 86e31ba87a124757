using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// Builds a <see cref="RegisteredDevice"/> from what an administrator hands over (admin API, CLI, seed):
/// the device certificate (DER base64 or PEM) whose subject CN is the device id, and the RSA transport
/// public key (SubjectPublicKeyInfo as DER base64 or PEM). Both keys must be RSA of at least 2048 bits,
/// because the token endpoint verifies RS256 with the one and wraps with RSA-OAEP to the other.
/// </summary>
public static class DeviceRegistration
{
    public const int MinimumRsaBits = 2048;

    /// <summary>The device; <see cref="ArgumentException"/> with a "field: problem" message when an input is unusable.</summary>
    public static RegisteredDevice Create(Guid objectId, string? deviceId, string? displayName, string certificate, string transportKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(transportKey);
        var der = ParseCertificate(certificate, out var commonName);
        if (!Guid.TryParse(commonName, out var cn))
        {
            throw new ArgumentException("certificate: the subject CN must be the device id (a GUID)", nameof(certificate));
        }

        if (deviceId is not null && (!Guid.TryParse(deviceId, out var given) || given != cn))
        {
            throw new ArgumentException("deviceId: must equal the certificate's subject CN", nameof(deviceId));
        }

        return new RegisteredDevice
        {
            ObjectId = objectId,
            DeviceId = cn,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? cn.ToString("D") : displayName,
            Certificate = der,
            TransportKey = ParseTransportKey(transportKey),
            RegisteredOn = now,
        };
    }

    /// <summary>SHA-1 thumbprint in hex, as Graph shows certificate thumbprints.</summary>
    public static string Thumbprint(RegisteredDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var certificate = X509CertificateLoader.LoadCertificate(device.Certificate);
        return certificate.Thumbprint;
    }

    private static byte[] ParseCertificate(string text, out string commonName)
    {
        try
        {
            var der = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text).RawData
                : Convert.FromBase64String(text.Trim());
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            using var rsa = certificate.GetRSAPublicKey() ?? throw new ArgumentException("certificate: must have an RSA key", nameof(text));
            if (rsa.KeySize < MinimumRsaBits)
            {
                throw new ArgumentException($"certificate: the RSA key must have at least {MinimumRsaBits} bits", nameof(text));
            }

            commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            return der;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new ArgumentException("certificate: not an X.509 certificate (DER base64 or PEM)", nameof(text), e);
        }
    }

    private static byte[] ParseTransportKey(string text)
    {
        try
        {
            using var rsa = RSA.Create();
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                rsa.ImportFromPem(text);
            }
            else
            {
                rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            }

            if (rsa.KeySize < MinimumRsaBits)
            {
                throw new ArgumentException($"transportKey: the RSA key must have at least {MinimumRsaBits} bits", nameof(text));
            }

            // Stored as the public half only, whatever form it came in.
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new ArgumentException("transportKey: not an RSA public key (SubjectPublicKeyInfo DER base64 or PEM)", nameof(text), e);
        }
    }
}
