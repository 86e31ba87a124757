using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Server.Hosting;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// Seals PRTs with AES-256-GCM under a per-data-directory key (tokens/prt.key, owner-only), so PRTs survive
/// restarts of a persistent server and are opaque to clients. Layout: version(1) | IV(12) | ciphertext | tag(16),
/// plaintext = tenant(16) | user(16) | device(16) | session key(32) | issued(8) | expires(8), base64url.
/// </summary>
internal sealed class PrimaryRefreshTokenProtector
{
    public const string KeyFile = "prt.key";
    private const byte Version = 1;
    private const int IvLength = 12;
    private const int TagLength = 16;
    private const int PlainLength = 16 * 3 + 32 + 8 + 8;
    private static readonly byte[] AssociatedData = "cloudkdc-prt-v1"u8.ToArray();

    private readonly Func<byte[]> loadKey;
    private readonly IKerberosRandom random;
    private readonly Lock gate = new();
    private byte[]? key;

    public PrimaryRefreshTokenProtector(DataDirectory dataDirectory, IKerberosRandom random)
        : this(() => LoadOrCreateKey(dataDirectory), random)
    {
    }

    internal PrimaryRefreshTokenProtector(Func<byte[]> loadKey, IKerberosRandom random)
    {
        this.loadKey = loadKey;
        this.random = random;
    }

    private byte[] Key
    {
        get
        {
            lock (gate)
            {
                return key ??= loadKey();
            }
        }
    }

    public string Seal(PrimaryRefreshToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<byte> plain = stackalloc byte[PlainLength];
        token.TenantId.TryWriteBytes(plain[..16]);
        token.UserId.TryWriteBytes(plain[16..32]);
        token.DeviceId.TryWriteBytes(plain[32..48]);
        token.SessionKey.AsSpan(0, 32).CopyTo(plain[48..80]);
        BinaryPrimitives.WriteInt64BigEndian(plain[80..88], token.IssuedAt.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(plain[88..96], token.ExpiresAt.ToUnixTimeSeconds());

        var sealedBytes = new byte[1 + IvLength + PlainLength + TagLength];
        sealedBytes[0] = Version;
        var iv = sealedBytes.AsSpan(1, IvLength);
        random.Fill(iv);
        using (var gcm = new AesGcm(Key, TagLength))
        {
            gcm.Encrypt(iv, plain, sealedBytes.AsSpan(1 + IvLength, PlainLength), sealedBytes.AsSpan(1 + IvLength + PlainLength), AssociatedData);
        }

        CryptographicOperations.ZeroMemory(plain);
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The PRT's contents, or null when it is not one of ours (wrong key, tampered, garbage).</summary>
    public PrimaryRefreshToken? Unseal(string? text)
    {
        if (text is null || text.Length > 1024)
        {
            return null;
        }

        if (Base64UrlText.TryDecode(text) is not { Length: 1 + IvLength + PlainLength + TagLength } bytes || bytes[0] != Version)
        {
            return null;
        }

        var plain = new byte[PlainLength];
        try
        {
            using var gcm = new AesGcm(Key, TagLength);
            gcm.Decrypt(bytes.AsSpan(1, IvLength), bytes.AsSpan(1 + IvLength, PlainLength), bytes.AsSpan(1 + IvLength + PlainLength, TagLength), plain, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return new PrimaryRefreshToken
        {
            TenantId = new Guid(plain.AsSpan(0, 16)),
            UserId = new Guid(plain.AsSpan(16, 16)),
            DeviceId = new Guid(plain.AsSpan(32, 16)),
            SessionKey = plain[48..80],
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(80, 8))),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(plain.AsSpan(88, 8))),
        };
    }

    private const UnixFileMode AccessibleToOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static byte[] LoadOrCreateKey(DataDirectory dataDirectory)
    {
        var path = Path.Combine(dataDirectory.Subdirectory("tokens"), KeyFile);
        if (File.Exists(path))
        {
            // Whoever reads this file can open every PRT and its session key: refuse it as the store key is refused.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & AccessibleToOthers) != 0)
            {
                throw new PrtKeyFileException($"The PRT key {path} is accessible to group or others; run chmod 600 on it.");
            }

            try
            {
                var existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
                if (existing.Length == 32)
                {
                    return existing;
                }
            }
            catch (FormatException)
            {
                // Unreadable: replaced below; PRTs sealed under it stop working, which only means a new sign-in.
            }
        }

        var fresh = RandomNumberGenerator.GetBytes(32);
        DataDirectory.WriteFile(path, Convert.ToBase64String(fresh) + "\n", secret: true);
        return fresh;
    }
}
