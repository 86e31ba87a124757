using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20) from RFC 8009. Unlike RFC 3962 these
/// derive keys with the SP 800-108 HMAC KDF, MAC the IV and ciphertext (encrypt-then-MAC, RFC 8009 §5),
/// and salt PBKDF2 with the enctype name (§4).
/// </summary>
internal sealed class AesSha2Profile : EncryptionProfile
{
    public static readonly AesSha2Profile Aes128 = new(
        EncryptionType.Aes128CtsHmacSha256128,
        ChecksumType.HmacSha256128Aes128,
        keySize: 16,
        checksumSize: 16,
        HashAlgorithmName.SHA256,
        hashSize: 32,
        "aes128-cts-hmac-sha256-128"u8.ToArray());

    public static readonly AesSha2Profile Aes256 = new(
        EncryptionType.Aes256CtsHmacSha384192,
        ChecksumType.HmacSha384192Aes256,
        keySize: 32,
        checksumSize: 24,
        HashAlgorithmName.SHA384,
        hashSize: 48,
        "aes256-cts-hmac-sha384-192"u8.ToArray());

    private readonly HashAlgorithmName hash;
    private readonly int hashSize;
    private readonly byte[] enctypeName;

    private static ReadOnlySpan<byte> KerberosLabel => "kerberos"u8;

    private static ReadOnlySpan<byte> PrfLabel => "prf"u8;

    private AesSha2Profile(
        EncryptionType encryptionType,
        ChecksumType checksumType,
        int keySize,
        int checksumSize,
        HashAlgorithmName hash,
        int hashSize,
        byte[] enctypeName)
        : base(encryptionType, checksumType, keySize, checksumSize)
    {
        this.hash = hash;
        this.hashSize = hashSize;
        this.enctypeName = enctypeName;
    }

    /// <summary>RFC 8009 §4: used when the KDC sends no s2kparams.</summary>
    public override int DefaultIterations => 32768;

    /// <summary>RFC 8009 §5: the PRF output is the full hash length (256 or 384 bits).</summary>
    public override int PseudoRandomSize => hashSize;

    /// <summary>RFC 8009 §5: Ke is the protocol key size; Kc and Ki are the truncated-MAC size.</summary>
    public int DerivedKeySize(byte role) => role == DerivationConstant.Encryption ? KeySize : ChecksumSize;

    public override void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte role, Span<byte> destination) =>
        Rfc8009KeyDerivation.DeriveKey(baseKey, hash, usage, role, destination);

    public override byte[] Encrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder)
    {
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[ChecksumSize];
        Span<byte> mac = stackalloc byte[hashSize];
        int bodyLength = ConfounderSize + plaintext.Length;

        // Layout IV | C so the MAC input is contiguous; the IV is the all-zero initial cipher state.
        Span<byte> stack = stackalloc byte[MaxStackScratch];
        using Scratch work = new(stack, AesCts.BlockSize + bodyLength);
        try
        {
            DeriveKey(key, usage, DerivationConstant.Encryption, ke);
            DeriveKey(key, usage, DerivationConstant.Integrity, ki);

            Span<byte> iv = work.Span[..AesCts.BlockSize];
            Span<byte> body = work.Span[AesCts.BlockSize..];
            iv.Clear();
            confounder.CopyTo(body);
            plaintext.CopyTo(body[ConfounderSize..]);

            using (Aes aes = Aes.Create())
            {
                aes.SetKey(ke);
                AesCts.Encrypt(aes, iv, body, body);
            }

            CryptographicOperations.HmacData(hash, ki, work.Span, mac);

            byte[] output = new byte[bodyLength + ChecksumSize];
            body.CopyTo(output);
            mac[..ChecksumSize].CopyTo(output.AsSpan(bodyLength));
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
        ReadOnlySpan<byte> body = ciphertext[..bodyLength];
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[ChecksumSize];
        Span<byte> mac = stackalloc byte[hashSize];
        Span<byte> stack = stackalloc byte[MaxStackScratch];
        using Scratch work = new(stack, AesCts.BlockSize + bodyLength);
        try
        {
            DeriveKey(key, usage, DerivationConstant.Integrity, ki);

            // Encrypt-then-MAC: authenticate IV | C before touching the cipher at all.
            Span<byte> iv = work.Span[..AesCts.BlockSize];
            iv.Clear();
            body.CopyTo(work.Span[AesCts.BlockSize..]);
            CryptographicOperations.HmacData(hash, ki, work.Span, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[..ChecksumSize], ciphertext[bodyLength..]))
            {
                throw new KerberosIntegrityException("Decrypt integrity check failed.");
            }

            DeriveKey(key, usage, DerivationConstant.Encryption, ke);
            Span<byte> plain = work.Span[AesCts.BlockSize..];
            using (Aes aes = Aes.Create())
            {
                aes.SetKey(ke);
                AesCts.Decrypt(aes, iv, body, plain);
            }

            return plain[ConfounderSize..].ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ke);
            CryptographicOperations.ZeroMemory(ki);
        }
    }

    public override void Checksum(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> kc = stackalloc byte[ChecksumSize];
        Span<byte> mac = stackalloc byte[hashSize];
        DeriveKey(key, usage, DerivationConstant.Checksum, kc);
        CryptographicOperations.HmacData(hash, kc, data, mac);
        mac[..ChecksumSize].CopyTo(destination);
        CryptographicOperations.ZeroMemory(kc);
    }

    /// <summary>RFC 8009 §4: PBKDF2 over (enctype name | 0x00 | salt), then KDF(tkey, "kerberos").</summary>
    public override void StringToKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        int saltLength = enctypeName.Length + 1 + salt.Length;
        Span<byte> stack = stackalloc byte[MaxStackScratch];
        using Scratch saltp = new(stack, saltLength);
        enctypeName.CopyTo(saltp.Span);
        saltp.Span[enctypeName.Length] = 0;
        salt.CopyTo(saltp.Span[(enctypeName.Length + 1)..]);

        Span<byte> tkey = stackalloc byte[KeySize];
        Rfc2898DeriveBytes.Pbkdf2(password, saltp.Span, tkey, iterations, hash);
        Rfc8009KeyDerivation.Derive(tkey, hash, KerberosLabel, ReadOnlySpan<byte>.Empty, destination[..KeySize]);
        CryptographicOperations.ZeroMemory(tkey);
    }

    /// <summary>RFC 8009 §5: PRF = KDF-HMAC-SHA2(key, "prf", input) at the full hash length.</summary>
    public override void PseudoRandom(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> destination) =>
        Rfc8009KeyDerivation.Derive(key, hash, PrfLabel, input, destination[..hashSize]);
}
