using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// Keyed checksums (RFC 3961 §4 get_mic/verify_mic) for the AES enctypes: HMAC-SHA1-96 (RFC 3962) and
/// HMAC-SHA256-128 / HMAC-SHA384-192 (RFC 8009). Each checksum type is bound to one enctype, and the key
/// must be of that enctype, as RFC 3961 §4 ties keyed checksums to their encryption type.
/// </summary>
public static class KerberosChecksum
{
    public static bool IsSupported(ChecksumType type) => EncryptionProfile.Find(type) is not null;

    /// <summary>Checksum length in bytes: 12 for the SHA-1 types, 16 for SHA-256, 24 for SHA-384.</summary>
    public static int Size(ChecksumType type) => GetProfile(type).ChecksumSize;

    /// <summary>The mandatory checksum type for an enctype (RFC 3962 §7, RFC 8009 §8): 17→15, 18→16, 19→19, 20→20.</summary>
    public static ChecksumType ForEncryptionType(EncryptionType type) => KerberosEncryption.GetProfile(type).ChecksumType;

    public static byte[] Compute(ChecksumType type, KerberosKey key, KeyUsage usage, ReadOnlySpan<byte> data)
    {
        EncryptionProfile profile = GetProfile(type, key);
        byte[] checksum = new byte[profile.ChecksumSize];
        profile.Checksum(key.Value, (int)usage, data, checksum);
        return checksum;
    }

    /// <summary>Returns false when the checksum does not match (including a wrong length); the comparison is constant-time.</summary>
    public static bool Verify(ChecksumType type, KerberosKey key, KeyUsage usage, ReadOnlySpan<byte> data, ReadOnlySpan<byte> checksum)
    {
        EncryptionProfile profile = GetProfile(type, key);
        if (checksum.Length != profile.ChecksumSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[profile.ChecksumSize];
        profile.Checksum(key.Value, (int)usage, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, checksum);
    }

    private static EncryptionProfile GetProfile(ChecksumType type) =>
        EncryptionProfile.Find(type) ?? throw new KerberosProtocolException($"Unsupported checksum type {(int)type}.");

    private static EncryptionProfile GetProfile(ChecksumType type, KerberosKey key)
    {
        EncryptionProfile profile = GetProfile(type);
        EncryptionProfile keyProfile = KerberosEncryption.GetProfile(key);
        if (!ReferenceEquals(profile, keyProfile))
        {
            throw new KerberosProtocolException($"Checksum type {(int)type} cannot be used with a key of encryption type {(int)key.EncryptionType}.");
        }

        return profile;
    }
}
