using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The HTTPS client login uses: the system's roots, or only the given CA (the lab CA, data/tls/lab-ca.pem), as MIT's
/// http_anchors does for the KDC proxy. Validation is never switched off.
/// </summary>
internal static class ServerTrust
{
    public static HttpClient CreateClient(string? caFile)
    {
        var handler = new SocketsHttpHandler();
        if (caFile is not null)
        {
            X509Certificate2 anchor;
            try
            {
                var text = File.ReadAllText(caFile);
                anchor = text.Contains("-----BEGIN", StringComparison.Ordinal) ? X509Certificate2.CreateFromPem(text) : X509CertificateLoader.LoadCertificateFromFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                handler.Dispose();
                throw new LoginException($"--ca: cannot read the CA certificate {caFile}: {e.Message}", e);
            }

            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IssuedBy(anchor, certificate, errors);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    private static bool IssuedBy(X509Certificate2 anchor, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (certificate is X509Certificate2 presented)
        {
            return chain.Build(presented);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
