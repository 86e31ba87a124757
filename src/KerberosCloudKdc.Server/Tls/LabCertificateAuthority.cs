using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KerberosCloudKdc.Server.Hosting;

namespace KerberosCloudKdc.Server.Tls;

/// <summary>
/// The lab's TLS: a CA (ECDSA P-256, 10 years) and a server certificate it signs (ECDSA P-256, cheaper
/// handshakes than RSA, architecture.md), both kept in DataDirectory/tls and reused until they near
/// expiry or the wanted names change. MIT clients trust the CA with http_anchors = FILE:lab-ca.pem.
/// </summary>
public static class LabCertificateAuthority
{
    public const string CaCertificateFile = "lab-ca.pem";
    public const string CaKeyFile = "lab-ca.key";
    public const string ServerCertificateFile = "server.pem";
    public const string ServerKeyFile = "server.key";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(397);
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Loads or creates the CA and server certificate in <paramref name="directory"/>.</summary>
    public static LabCertificates Ensure(string directory, IEnumerable<string> names, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var wanted = names.Select(Normalize).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var caPath = Path.Combine(directory, CaCertificateFile);
        var caKeyPath = Path.Combine(directory, CaKeyFile);
        var serverPath = Path.Combine(directory, ServerCertificateFile);
        var serverKeyPath = Path.Combine(directory, ServerKeyFile);

        var createdCa = false;
        var ca = TryLoad(caPath, caKeyPath);
        if (ca is null || ca.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore)
        {
            ca?.Dispose();
            ca = CreateCa(now);
            DataDirectory.WriteFile(caKeyPath, ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), secret: true);
            DataDirectory.WriteFile(caPath, ca.ExportCertificatePem() + "\n", secret: false);
            createdCa = true;
        }

        var createdServer = false;
        var server = createdCa ? null : TryLoad(serverPath, serverKeyPath);
        if (server is null || !IsUsable(server, ca, wanted, now))
        {
            server?.Dispose();
            server = CreateServer(ca, wanted, now);
            DataDirectory.WriteFile(serverKeyPath, server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), secret: true);
            DataDirectory.WriteFile(serverPath, server.ExportCertificatePem() + "\n", secret: false);
            createdServer = true;
        }

        // Kestrel on Windows needs a key it can use from SslStream: round-trip through PKCS#12.
        var forKestrel = X509CertificateLoader.LoadPkcs12(server.Export(X509ContentType.Pkcs12), password: null);
        server.Dispose();
        var caPublic = X509CertificateLoader.LoadCertificate(ca.RawData);
        ca.Dispose();
        return new LabCertificates(caPath, caPublic, forKestrel, wanted, createdCa, createdServer);
    }

    /// <summary>The SAN entries (DNS names and IP addresses, as text) of a certificate.</summary>
    public static IReadOnlyList<string> SubjectAlternativeNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return [];
        }

        return san.EnumerateDnsNames().Select(n => n.ToLowerInvariant())
            .Concat(san.EnumerateIPAddresses().Select(a => a.ToString()))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string Normalize(string name) =>
        IPAddress.TryParse(name.Trim().Trim('[', ']'), out var address) ? address.ToString() : name.Trim().TrimEnd('.').ToLowerInvariant();

    private static X509Certificate2? TryLoad(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool IsUsable(X509Certificate2 server, X509Certificate2 ca, IReadOnlyList<string> wanted, DateTimeOffset now)
    {
        if (server.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore || server.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return false;
        }

        if (!SubjectAlternativeNames(server).SequenceEqual(wanted, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(server);
    }

    private static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var machine = Environment.MachineName.Replace(',', ' ').Replace('=', ' ');
        var request = new CertificateRequest($"CN=CloudKdc Lab CA ({machine}), O=KerberosCloudKdc lab, OU=not for production", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca, IReadOnlyList<string> names, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var common = names.FirstOrDefault(n => !IPAddress.TryParse(n, out _)) ?? "localhost";
        var request = new CertificateRequest($"CN={common}, O=KerberosCloudKdc lab", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now + ServerLifetime < ca.NotAfter ? now + ServerLifetime : new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        using var signed = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }
}

/// <summary>The lab TLS material in use: CA (public part) and the server certificate with its key.</summary>
public sealed record LabCertificates(
    string CaCertificatePath,
    X509Certificate2 CaCertificate,
    X509Certificate2 ServerCertificate,
    IReadOnlyList<string> Names,
    bool CreatedCa,
    bool CreatedServerCertificate);
