using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18) from RFC 3962, built on the RFC 3961 §5.3
/// simplified profile: DK key derivation, AES-CBC-CTS with a zero IV, and HMAC-SHA1 truncated to 96 bits
/// computed over the plaintext (confounder included).
/// </summary>
[SuppressMessage(
    "Security",
    "CA5350:Do Not Use Weak Cryptographic Algorithms",
    Justification = "RFC 3962 fixes HMAC-SHA1 and SHA-1 for enctypes 17/18; Windows clients still require them. RFC 8009 enctypes are preferred when the peer offers them.")]
internal sealed class AesSha1Profile : EncryptionProfile
{
    public static readonly AesSha1Profile Aes128 = new(EncryptionType.Aes128CtsHmacSha196, ChecksumType.HmacSha196Aes128, 16);
    public static readonly AesSha1Profile Aes256 = new(EncryptionType.Aes256CtsHmacSha196, ChecksumType.HmacSha196Aes256, 32);

    private const int HmacSha1Size = 20;
    private const int TruncatedSize = 12;

    private static ReadOnlySpan<byte> KerberosConstant => "kerberos"u8;

    private static ReadOnlySpan<byte> PrfConstant => "prf"u8;

    private AesSha1Profile(EncryptionType encryptionType, ChecksumType checksumType, int keySize)
        : base(encryptionType, checksumType, keySize, TruncatedSize)
    {
    }

    /// <summary>RFC 3962 §4: used when the KDC sends no s2kparams.</summary>
    public override int DefaultIterations => 4096;

    public override int PseudoRandomSize => AesCts.BlockSize;

    public override void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte role, Span<byte> destination) =>
        Rfc3961KeyDerivation.DeriveKey(baseKey, usage, role, destination);

    public override byte[] Encrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder)
    {
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[KeySize];
        Span<byte> mac = stackalloc byte[HmacSha1Size];
        try
        {
            DeriveKey(key, usage, DerivationConstant.Encryption, ke);
            DeriveKey(key, usage, DerivationConstant.Integrity, ki);

            int bodyLength = ConfounderSize + plaintext.Length;
            byte[] output = new byte[bodyLength + ChecksumSize];
            Span<byte> body = output.AsSpan(0, bodyLength);
            confounder.CopyTo(body);
            plaintext.CopyTo(body[ConfounderSize..]);

            // RFC 3961 §5.3: the MAC covers the plaintext, so it is taken before encrypting in place.
            HMACSHA1.HashData(ki, body, mac);
            mac[..ChecksumSize].CopyTo(output.AsSpan(bodyLength));

            using Aes aes = Aes.Create();
            aes.SetKey(ke);
            AesCts.Encrypt(aes, ZeroIv, body, body);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ke);
            CryptographicOperations.ZeroMemory(ki);
        }
    }

    public override byte[] Decrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < MinimumCiphertextSize)
        {
            throw new KerberosProtocolException("Ciphertext is too short.");
        }

        int bodyLength = ciphertext.Length - ChecksumSize;
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[KeySize];
        Span<byte> mac = stackalloc byte[HmacSha1Size];
        Span<byte> stack = stackalloc byte[MaxStackScratch];
        using Scratch plain = new(stack, bodyLength);
        try
        {
            DeriveKey(key, usage, DerivationConstant.Encryption, ke);
            DeriveKey(key, usage, DerivationConstant.Integrity, ki);

            using (Aes aes = Aes.Create())
            {
                aes.SetKey(ke);
                AesCts.Decrypt(aes, ZeroIv, ciphertext[..bodyLength], plain.Span);
            }

            HMACSHA1.HashData(ki, plain.Span, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[..ChecksumSize], ciphertext[bodyLength..]))
            {
                throw new KerberosIntegrityException("Decrypt integrity check failed.");
            }

            return plain.Span[ConfounderSize..].ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ke);
            CryptographicOperations.ZeroMemory(ki);
        }
    }

    public override void Checksum(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> kc = stackalloc byte[KeySize];
        Span<byte> mac = stackalloc byte[HmacSha1Size];
        DeriveKey(key, usage, DerivationConstant.Checksum, kc);
        HMACSHA1.HashData(kc, data, mac);
        mac[..ChecksumSize].CopyTo(destination);
        CryptographicOperations.ZeroMemory(kc);
    }

    /// <summary>RFC 3962 §4: tkey = PBKDF2-HMAC-SHA1(password, salt, iterations); key = DK(tkey, "kerberos").</summary>
    public override void StringToKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        Span<byte> tkey = stackalloc byte[KeySize];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, tkey, iterations, HashAlgorithmName.SHA1);
        Rfc3961KeyDerivation.DeriveKey(tkey, KerberosConstant, destination);
        CryptographicOperations.ZeroMemory(tkey);
    }

    /// <summary>RFC 3962 §6: E(DK(key, "prf"), first block of SHA-1(input)), with a zero IV.</summary>
    public override void PseudoRandom(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> destination)
    {
        Span<byte> prfKey = stackalloc byte[KeySize];
        Span<byte> digest = stackalloc byte[HmacSha1Size];
        Rfc3961KeyDerivation.DeriveKey(key, PrfConstant, prfKey);
        SHA1.HashData(input, digest);

        using Aes aes = Aes.Create();
        aes.SetKey(prfKey);
        aes.EncryptEcb(digest[..AesCts.BlockSize], destination[..AesCts.BlockSize], PaddingMode.None);
        CryptographicOperations.ZeroMemory(prfKey);
    }

    private static ReadOnlySpan<byte> ZeroIv => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}
