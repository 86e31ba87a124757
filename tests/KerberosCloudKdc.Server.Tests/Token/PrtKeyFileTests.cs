using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Server.Hosting;
using KerberosCloudKdc.Server.Token;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>tokens/prt.key opens every PRT: it is created owner-only, and one others can read is refused, not used.</summary>
public sealed class PrtKeyFileTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cloudkdc-prtkey-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static PrimaryRefreshToken Token() => new()
    {
        TenantId = Guid.NewGuid(),
        UserId = Guid.NewGuid(),
        DeviceId = Guid.NewGuid(),
        SessionKey = new byte[32],
        IssuedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddDays(14),
    };

    [Fact]
    public void A_key_file_others_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = new DataDirectory(root);
        new PrimaryRefreshTokenProtector(data, SystemKerberosRandom.Instance).Seal(Token());
        var path = Path.Combine(data.Subdirectory("tokens"), PrimaryRefreshTokenProtector.KeyFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var error = Assert.Throws<PrtKeyFileException>(() => new PrimaryRefreshTokenProtector(data, SystemKerberosRandom.Instance).Seal(Token()));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }
}
