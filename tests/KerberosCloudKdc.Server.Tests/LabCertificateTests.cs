using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using KerberosCloudKdc.Server.Hosting;
using KerberosCloudKdc.Server.Tls;

namespace KerberosCloudKdc.Server.Tests;

public sealed class LabCertificateTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void Bootstrap_creates_a_p256_ca_and_server_certificate_with_the_sans()
    {
        var directory = TestData.TempDirectory();
        var options = new CloudKdcOptions { PublicOrigin = "https://login.microsoftonline.com" };
        options.CertificateNames.Add("kdc.lab.example, 10.0.0.5");
        var result = LabCertificateAuthority.Ensure(directory, LabTls.Names(options), Now);

        Assert.True(result.CreatedCa);
        Assert.True(result.CreatedServerCertificate);
        var sans = LabCertificateAuthority.SubjectAlternativeNames(result.ServerCertificate);
        foreach (var name in new[] { "localhost", "127.0.0.1", "::1", "login.microsoftonline.com", "kdc.lab.example", "10.0.0.5" })
        {
            Assert.Contains(name, sans);
        }

        Assert.Equal("1.2.840.10045.2.1", result.ServerCertificate.PublicKey.Oid.Value); // id-ecPublicKey
        Assert.Equal(256, result.ServerCertificate.GetECDsaPublicKey()!.KeySize);
        Assert.Equal(256, result.CaCertificate.GetECDsaPublicKey()!.KeySize);
        Assert.True(result.ServerCertificate.HasPrivateKey);
        Assert.True(result.CaCertificate.NotAfter > Now.AddYears(9).UtcDateTime);
        var constraints = result.CaCertificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(result.CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(result.ServerCertificate));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, LabCertificateAuthority.CaKeyFile)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, LabCertificateAuthority.ServerKeyFile)));
        }
    }

    [Fact]
    public void Second_start_reuses_both_and_a_name_change_renews_only_the_server_certificate()
    {
        var directory = TestData.TempDirectory();
        string[] names = ["localhost", "127.0.0.1"];
        var first = LabCertificateAuthority.Ensure(directory, names, Now);
        var second = LabCertificateAuthority.Ensure(directory, names, Now.AddDays(1));
        Assert.False(second.CreatedCa);
        Assert.False(second.CreatedServerCertificate);
        Assert.Equal(first.ServerCertificate.Thumbprint, second.ServerCertificate.Thumbprint);

        var renamed = LabCertificateAuthority.Ensure(directory, [.. names, "new.lab.example"], Now.AddDays(2));
        Assert.False(renamed.CreatedCa);
        Assert.True(renamed.CreatedServerCertificate);
        Assert.Equal(first.CaCertificate.Thumbprint, renamed.CaCertificate.Thumbprint);
        Assert.Contains("new.lab.example", LabCertificateAuthority.SubjectAlternativeNames(renamed.ServerCertificate));

        var nearExpiry = LabCertificateAuthority.Ensure(directory, [.. names, "new.lab.example"], Now.AddDays(380));
        Assert.True(nearExpiry.CreatedServerCertificate);
        Assert.False(nearExpiry.CreatedCa);
    }

    [Fact]
    public void Openssl_verifies_the_chain()
    {
        // An independent verifier: ./test.sh installs the openssl package, so a missing CLI fails here.
        var openssl = new[] { "/usr/bin/openssl", "/usr/local/bin/openssl" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("openssl not found: install the openssl package (./test.sh installs it)");

        var directory = TestData.TempDirectory();
        LabCertificateAuthority.Ensure(directory, ["localhost", "127.0.0.1"], DateTimeOffset.UtcNow);
        var start = new ProcessStartInfo(openssl)
        {
            ArgumentList = { "verify", "-purpose", "sslserver", "-CAfile", Path.Combine(directory, LabCertificateAuthority.CaCertificateFile), Path.Combine(directory, LabCertificateAuthority.ServerCertificateFile) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains(": OK", output, StringComparison.Ordinal);
    }
}
