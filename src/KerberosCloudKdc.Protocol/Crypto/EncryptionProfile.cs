using System.Buffers;
using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// One RFC 3961 encryption type: the operations of RFC 3961 §3 (encrypt, decrypt, string-to-key,
/// random-to-key, pseudo-random) and the keyed checksum that goes with it (§4). Callers pass raw key
/// bytes already checked for length by <see cref="KerberosEncryption"/>.
/// </summary>
internal abstract class EncryptionProfile
{
    /// <summary>Both AES families prepend one cipher block of random confounder.</summary>
    public const int ConfounderSize = AesCts.BlockSize;

    // Above this size the scratch buffers come from the shared pool rather than the stack.
    protected const int MaxStackScratch = 512;

    protected EncryptionProfile(EncryptionType encryptionType, ChecksumType checksumType, int keySize, int checksumSize)
    {
        EncryptionType = encryptionType;
        ChecksumType = checksumType;
        KeySize = keySize;
        ChecksumSize = checksumSize;
    }

    public EncryptionType EncryptionType { get; }

    public ChecksumType ChecksumType { get; }

    /// <summary>Protocol key length in bytes; also the key-generation seed length, since random-to-key is the identity for AES.</summary>
    public int KeySize { get; }

    /// <summary>Length of the truncated HMAC used both as the checksum and as the integrity tag of ciphertexts.</summary>
    public int ChecksumSize { get; }

    public abstract int DefaultIterations { get; }

    public abstract int PseudoRandomSize { get; }

    /// <summary>Shortest well-formed ciphertext: a confounder block with an empty plaintext, plus the tag.</summary>
    public int MinimumCiphertextSize => ConfounderSize + ChecksumSize;

    public abstract byte[] Encrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder);

    public abstract byte[] Decrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> ciphertext);

    public abstract void Checksum(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> destination);

    public abstract void StringToKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination);

    public abstract void PseudoRandom(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> destination);

    /// <summary>Derives Kc, Ke or Ki for a usage; exposed so the tests can check the RFC's derived-key vectors.</summary>
    public abstract void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte role, Span<byte> destination);

    public static EncryptionProfile? Find(EncryptionType type) => type switch
    {
        EncryptionType.Aes128CtsHmacSha196 => AesSha1Profile.Aes128,
        EncryptionType.Aes256CtsHmacSha196 => AesSha1Profile.Aes256,
        EncryptionType.Aes128CtsHmacSha256128 => AesSha2Profile.Aes128,
        EncryptionType.Aes256CtsHmacSha384192 => AesSha2Profile.Aes256,
        _ => null,
    };

    public static EncryptionProfile? Find(ChecksumType type) => type switch
    {
        ChecksumType.HmacSha196Aes128 => AesSha1Profile.Aes128,
        ChecksumType.HmacSha196Aes256 => AesSha1Profile.Aes256,
        ChecksumType.HmacSha256128Aes128 => AesSha2Profile.Aes128,
        ChecksumType.HmacSha384192Aes256 => AesSha2Profile.Aes256,
        _ => null,
    };

    /// <summary>A scratch buffer that is zeroed and handed back to the pool when disposed, since it holds plaintext or keys.</summary>
    protected ref struct Scratch
    {
        private byte[]? rented;

        public Scratch(Span<byte> stackBuffer, int length)
        {
            if (length <= stackBuffer.Length)
            {
                rented = null;
                Span = stackBuffer[..length];
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(length);
                Span = rented.AsSpan(0, length);
            }
        }

        public Span<byte> Span { get; private set; }

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(Span);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
                rented = null;
            }

            Span = default;
        }
    }
}
