using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Server.Login;

namespace KerberosCloudKdc.Server.Tests.Login;

public sealed class DeviceIdentityTests
{
    private readonly string directory = Path.Combine(TestData.TempDirectory(), "device");

    [Fact]
    public async Task A_new_device_has_owner_only_keys_and_a_guid_cn()
    {
        var (device, created) = await DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None);
        using (device)
        {
            Assert.True(created);
            Assert.Equal($"CN={device.DeviceId:D}", device.Certificate.Subject);
            Assert.True(device.Certificate.HasPrivateKey);
            Assert.Equal(2048, device.Certificate.GetRSAPublicKey()!.KeySize);
            Assert.Equal(2048, device.TransportKey.KeySize);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            foreach (var file in Directory.GetFiles(directory))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task Loading_again_gives_the_same_device()
    {
        var (first, _) = await DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None);
        using var firstDevice = first;
        var (second, created) = await DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None);
        using var secondDevice = second;

        Assert.False(created);
        Assert.Equal(first.DeviceId, second.DeviceId);
        Assert.Equal(first.Certificate.RawData, second.Certificate.RawData);
        Assert.Equal(first.TransportKey.ExportSubjectPublicKeyInfo(), second.TransportKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task A_key_readable_by_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (device, _) = await DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None);
        device.Dispose();
        File.SetUnixFileMode(Path.Combine(directory, DeviceIdentity.TransportKeyFile), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var e = await Assert.ThrowsAsync<LoginException>(() => DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None));
        Assert.Contains("readable by others", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incomplete_directory_is_not_silently_replaced()
    {
        var (device, _) = await DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None);
        device.Dispose();
        File.Delete(Path.Combine(directory, DeviceIdentity.TransportKeyFile));

        var e = await Assert.ThrowsAsync<LoginException>(() => DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None));
        Assert.Contains("incomplete", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_jwt_verifies_with_the_device_certificate()
    {
        var (device, _) = await DeviceIdentity.LoadOrCreateAsync(directory, CancellationToken.None);
        using var owned = device;

        var jwt = PrtRequestJwt.Create(device.Certificate, "nonce-1", "alice@contoso.com", "pw", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var parts = jwt.Split('.');
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));

        // The verifier uses the certificate from x5c, as the server does, not the device object.
        using var presented = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(header.RootElement.GetProperty("x5c")[0].GetString()!));
        Assert.Equal(device.Certificate.RawData, presented.RawData);
        using var publicKey = presented.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.False(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1] + "x"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(2, header.RootElement.GetProperty("kdf_ver").GetInt32());
        var claims = payload.RootElement;
        Assert.Equal("nonce-1", claims.GetProperty("request_nonce").GetString());
        Assert.Equal("password", claims.GetProperty("grant_type").GetString());
        Assert.Equal("openid aza ugs", claims.GetProperty("scope").GetString());
        Assert.Equal("alice@contoso.com", claims.GetProperty("username").GetString());
        Assert.Equal("pw", claims.GetProperty("password").GetString());
        Assert.True(Guid.TryParse(claims.GetProperty("client_id").GetString(), out _));
        Assert.Equal(1_800_000_000, claims.GetProperty("iat").GetInt64());
    }
}
