using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// The RFC 3961 §3 encryption-type operations for the supported enctypes (17, 18 from RFC 3962; 19, 20 from
/// RFC 8009). All failures on caller-supplied bytes surface as <see cref="KerberosProtocolException"/>, and
/// integrity failures as <see cref="KerberosIntegrityException"/>, so the KDC can map them to KRB-ERROR codes.
/// </summary>
public static class KerberosEncryption
{
    /// <summary>
    /// Upper bound on PBKDF2 iterations accepted from s2kparams. RFC 3962 §4 lets implementations cap the count
    /// (at no less than 50,000) so a spoofed ETYPE-INFO2 cannot pin a CPU.
    /// </summary>
    public const int MaxIterations = 16_777_216;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsSupported(EncryptionType type) => EncryptionProfile.Find(type) is not null;

    /// <summary>Protocol key length in bytes (16 or 32).</summary>
    public static int KeySize(EncryptionType type) => GetProfile(type).KeySize;

    /// <summary>Encrypts with a fresh confounder from <paramref name="random"/>; the result is confounder-encrypted body then the integrity tag.</summary>
    public static byte[] Encrypt(KerberosKey key, KeyUsage usage, ReadOnlySpan<byte> plaintext, IKerberosRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        EncryptionProfile profile = GetProfile(key);
        Span<byte> confounder = stackalloc byte[EncryptionProfile.ConfounderSize];
        random.Fill(confounder);
        return profile.Encrypt(key.Value, (int)usage, plaintext, confounder);
    }

    /// <summary>Decrypts and verifies; throws <see cref="KerberosIntegrityException"/> on a wrong key, wrong usage or altered bytes.</summary>
    public static byte[] Decrypt(KerberosKey key, KeyUsage usage, ReadOnlySpan<byte> ciphertext)
    {
        EncryptionProfile profile = GetProfile(key);
        return profile.Decrypt(key.Value, (int)usage, ciphertext);
    }

    /// <summary>
    /// RFC 3962 §4 / RFC 8009 §4 string-to-key. The password and salt are UTF-8 encoded; <paramref name="s2kParams"/>
    /// is empty (use the enctype's default iteration count) or a 4-byte big-endian iteration count.
    /// </summary>
    public static KerberosKey StringToKey(EncryptionType type, string password, string salt, ReadOnlySpan<byte> s2kParams = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        return StringToKey(type, EncodeUtf8(password, "password"), EncodeUtf8(salt, "salt"), s2kParams);
    }

    /// <summary>
    /// String-to-key over raw octets, for salts that are not valid UTF-8 (the RFC 8009 test salt, or a peer's
    /// ETYPE-INFO2 salt passed through unchanged).
    /// </summary>
    public static KerberosKey StringToKey(EncryptionType type, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> s2kParams = default)
    {
        EncryptionProfile profile = GetProfile(type);
        int iterations = ParseIterations(profile, s2kParams);
        Span<byte> key = stackalloc byte[profile.KeySize];
        profile.StringToKey(password, salt, iterations, key);
        KerberosKey result = new(type, key);
        CryptographicOperations.ZeroMemory(key);
        return result;
    }

    public static KerberosKey RandomKey(EncryptionType type, IKerberosRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        EncryptionProfile profile = GetProfile(type);
        Span<byte> bits = stackalloc byte[profile.KeySize];
        random.Fill(bits);
        KerberosKey result = new(type, bits);
        CryptographicOperations.ZeroMemory(bits);
        return result;
    }

    /// <summary>RFC 3962 §6 / RFC 8009 §5: random-to-key is the identity for AES, so the seed must be exactly the key size.</summary>
    public static KerberosKey RandomToKey(EncryptionType type, ReadOnlySpan<byte> randomBits)
    {
        EncryptionProfile profile = GetProfile(type);
        if (randomBits.Length != profile.KeySize)
        {
            throw new KerberosProtocolException("Random-to-key seed has the wrong length.");
        }

        return new KerberosKey(type, randomBits);
    }

    /// <summary>The enctype's pseudo-random function: 16 bytes for RFC 3962 enctypes, 32 or 48 for RFC 8009.</summary>
    public static byte[] PseudoRandom(KerberosKey key, ReadOnlySpan<byte> input)
    {
        EncryptionProfile profile = GetProfile(key);
        byte[] output = new byte[profile.PseudoRandomSize];
        profile.PseudoRandom(key.Value, input, output);
        return output;
    }

    /// <summary>
    /// KRB-FX-CF2 from RFC 6113 §5.1: combines two keys into one of <paramref name="k1"/>'s enctype as
    /// random-to-key(PRF+(k1, pepper1) XOR PRF+(k2, pepper2)). Used by FAST armor and PKINIT-style key combination.
    /// </summary>
    public static KerberosKey Cf2(KerberosKey k1, KerberosKey k2, string pepper1, string pepper2)
    {
        ArgumentNullException.ThrowIfNull(pepper1);
        ArgumentNullException.ThrowIfNull(pepper2);
        EncryptionProfile profile1 = GetProfile(k1);
        EncryptionProfile profile2 = GetProfile(k2);
        int length = profile1.KeySize;

        Span<byte> left = stackalloc byte[length];
        Span<byte> right = stackalloc byte[length];
        PrfPlus(profile1, k1.Value, EncodeUtf8(pepper1, "pepper"), left);
        PrfPlus(profile2, k2.Value, EncodeUtf8(pepper2, "pepper"), right);
        for (int i = 0; i < length; i++)
        {
            left[i] ^= right[i];
        }

        KerberosKey result = new(k1.EncryptionType, left);
        CryptographicOperations.ZeroMemory(left);
        CryptographicOperations.ZeroMemory(right);
        return result;
    }

    /// <summary>RFC 6113 §5.1 PRF+: PRF(key, 1 | input) | PRF(key, 2 | input) | ..., truncated to the destination.</summary>
    internal static void PrfPlus(EncryptionProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> destination)
    {
        int blockSize = profile.PseudoRandomSize;
        int rounds = (destination.Length + blockSize - 1) / blockSize;
        if (rounds > 255)
        {
            throw new KerberosProtocolException("PRF+ output is too long.");
        }

        byte[] prefixed = new byte[input.Length + 1];
        input.CopyTo(prefixed.AsSpan(1));
        Span<byte> block = stackalloc byte[blockSize];
        for (int round = 1; round <= rounds; round++)
        {
            prefixed[0] = (byte)round;
            profile.PseudoRandom(key, prefixed, block);
            int offset = (round - 1) * blockSize;
            int count = Math.Min(blockSize, destination.Length - offset);
            block[..count].CopyTo(destination[offset..]);
        }

        CryptographicOperations.ZeroMemory(block);
    }

    internal static EncryptionProfile GetProfile(EncryptionType type) =>
        EncryptionProfile.Find(type) ?? throw new KerberosProtocolException($"Unsupported encryption type {(int)type}.");

    internal static EncryptionProfile GetProfile(KerberosKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        EncryptionProfile profile = GetProfile(key.EncryptionType);
        if (key.Value.Length != profile.KeySize)
        {
            throw new KerberosProtocolException("Key has the wrong length for its encryption type.");
        }

        return profile;
    }

    private static int ParseIterations(EncryptionProfile profile, ReadOnlySpan<byte> s2kParams)
    {
        if (s2kParams.IsEmpty)
        {
            return profile.DefaultIterations;
        }

        if (s2kParams.Length != 4)
        {
            throw new KerberosProtocolException("s2kparams must be a 4-byte iteration count.");
        }

        // Zero means 2^32 iterations (RFC 3962 §4), which is past any sane cap.
        uint iterations = BinaryPrimitives.ReadUInt32BigEndian(s2kParams);
        if (iterations == 0 || iterations > MaxIterations)
        {
            throw new KerberosProtocolException("s2kparams iteration count is out of range.");
        }

        return (int)iterations;
    }

    private static byte[] EncodeUtf8(string value, string what)
    {
        try
        {
            return StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new KerberosProtocolException($"The {what} is not valid Unicode.", ex);
        }
    }
}
