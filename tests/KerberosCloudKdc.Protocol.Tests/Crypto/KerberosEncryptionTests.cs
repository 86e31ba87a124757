using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>Round trips and failure behaviour for every supported enctype.</summary>
public class KerberosEncryptionTests
{
    public static TheoryData<EncryptionType> EncryptionTypes => new()
    {
        EncryptionType.Aes128CtsHmacSha196,
        EncryptionType.Aes256CtsHmacSha196,
        EncryptionType.Aes128CtsHmacSha256128,
        EncryptionType.Aes256CtsHmacSha384192,
    };

    public static TheoryData<EncryptionType, int> EncryptionTypesAndLengths()
    {
        TheoryData<EncryptionType, int> data = new();
        foreach (EncryptionType type in new[]
        {
            EncryptionType.Aes128CtsHmacSha196,
            EncryptionType.Aes256CtsHmacSha196,
            EncryptionType.Aes128CtsHmacSha256128,
            EncryptionType.Aes256CtsHmacSha384192,
        })
        {
            for (int length = 0; length <= 80; length++)
            {
                data.Add(type, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EncryptionTypesAndLengths))]
    public void Round_trip(EncryptionType type, int length)
    {
        SeededRandom random = new(length * 31 + (int)type);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        byte[] plaintext = new byte[length];
        random.Fill(plaintext);

        byte[] ciphertext = KerberosEncryption.Encrypt(key, KeyUsage.TicketEncPart, plaintext, random);

        Assert.Equal(16 + length + KerberosChecksum.Size(KerberosChecksum.ForEncryptionType(type)), ciphertext.Length);
        Assert.Equal(Hex.Format(plaintext), Hex.Format(KerberosEncryption.Decrypt(key, KeyUsage.TicketEncPart, ciphertext)));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Round_trip_of_a_large_message_uses_pooled_buffers(EncryptionType type)
    {
        SeededRandom random = new(7);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        byte[] plaintext = new byte[5000];
        random.Fill(plaintext);
        byte[] ciphertext = KerberosEncryption.Encrypt(key, KeyUsage.AsRepEncPart, plaintext, random);
        Assert.Equal(plaintext, KerberosEncryption.Decrypt(key, KeyUsage.AsRepEncPart, ciphertext));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Confounder_makes_each_encryption_different(EncryptionType type)
    {
        SeededRandom random = new(1);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        byte[] first = KerberosEncryption.Encrypt(key, KeyUsage.AsRepEncPart, "same"u8, random);
        byte[] second = KerberosEncryption.Encrypt(key, KeyUsage.AsRepEncPart, "same"u8, random);
        Assert.NotEqual(Hex.Format(first), Hex.Format(second));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Every_flipped_bit_is_detected(EncryptionType type)
    {
        SeededRandom random = new(2);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        byte[] ciphertext = KerberosEncryption.Encrypt(key, KeyUsage.ApReqAuthenticator, "attack at dawn, bring snacks"u8, random);

        for (int bit = 0; bit < ciphertext.Length * 8; bit++)
        {
            byte[] tampered = (byte[])ciphertext.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<KerberosIntegrityException>(() => KerberosEncryption.Decrypt(key, KeyUsage.ApReqAuthenticator, tampered));
        }
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Truncated_ciphertext_is_a_protocol_error_not_an_integrity_error(EncryptionType type)
    {
        SeededRandom random = new(3);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        byte[] ciphertext = KerberosEncryption.Encrypt(key, KeyUsage.ApReqAuthenticator, ReadOnlySpan<byte>.Empty, random);

        for (int length = 0; length < ciphertext.Length; length++)
        {
            KerberosProtocolException ex = Assert.Throws<KerberosProtocolException>(
                () => KerberosEncryption.Decrypt(key, KeyUsage.ApReqAuthenticator, ciphertext.AsSpan(0, length)));
            Assert.Contains("too short", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Wrong_usage_fails_integrity(EncryptionType type)
    {
        SeededRandom random = new(4);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        byte[] ciphertext = KerberosEncryption.Encrypt(key, KeyUsage.TicketEncPart, "ticket"u8, random);
        Assert.Throws<KerberosIntegrityException>(() => KerberosEncryption.Decrypt(key, KeyUsage.AsRepEncPart, ciphertext));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Wrong_key_fails_integrity(EncryptionType type)
    {
        SeededRandom random = new(5);
        KerberosKey key = KerberosEncryption.RandomKey(type, random);
        KerberosKey other = KerberosEncryption.RandomKey(type, random);
        byte[] ciphertext = KerberosEncryption.Encrypt(key, KeyUsage.TicketEncPart, "ticket"u8, random);
        Assert.Throws<KerberosIntegrityException>(() => KerberosEncryption.Decrypt(other, KeyUsage.TicketEncPart, ciphertext));
    }

    [Fact]
    public void Key_of_one_enctype_cannot_decrypt_another()
    {
        SeededRandom random = new(6);
        KerberosKey sha1 = KerberosEncryption.RandomKey(EncryptionType.Aes128CtsHmacSha196, random);
        KerberosKey sha2 = KerberosEncryption.RandomToKey(EncryptionType.Aes128CtsHmacSha256128, sha1.Value);
        byte[] ciphertext = KerberosEncryption.Encrypt(sha1, KeyUsage.TicketEncPart, "ticket"u8, random);
        Assert.Throws<KerberosIntegrityException>(() => KerberosEncryption.Decrypt(sha2, KeyUsage.TicketEncPart, ciphertext));
    }

    [Fact]
    public void Out_of_enum_usage_numbers_work()
    {
        SeededRandom random = new(8);
        KerberosKey key = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);
        byte[] ciphertext = KerberosEncryption.Encrypt(key, (KeyUsage)1026, "gss"u8, random);
        Assert.Equal("gss"u8.ToArray(), KerberosEncryption.Decrypt(key, (KeyUsage)1026, ciphertext));
        Assert.Throws<KerberosIntegrityException>(() => KerberosEncryption.Decrypt(key, (KeyUsage)1027, ciphertext));
    }

    [Theory]
    [InlineData(EncryptionType.Rc4Hmac)]
    [InlineData(EncryptionType.DesCbcMd5)]
    [InlineData(EncryptionType.Des3CbcSha1)]
    [InlineData(EncryptionType.Null)]
    [InlineData((EncryptionType)9999)]
    public void Unsupported_enctypes_are_protocol_errors(EncryptionType type)
    {
        Assert.False(KerberosEncryption.IsSupported(type));
        KerberosKey key = new(type, new byte[16]);
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.KeySize(type));
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.Encrypt(key, KeyUsage.TicketEncPart, "x"u8, new SeededRandom(1)));
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.Decrypt(key, KeyUsage.TicketEncPart, new byte[64]));
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.StringToKey(type, "p", "s"));
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.RandomKey(type, new SeededRandom(1)));
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.RandomToKey(type, new byte[16]));
        Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.PseudoRandom(key, "x"u8));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Wrong_key_length_is_a_protocol_error(EncryptionType type)
    {
        int size = KerberosEncryption.KeySize(type);
        foreach (int length in new[] { 0, 1, size - 1, size + 1, 24 })
        {
            KerberosKey key = new(type, new byte[length]);
            KerberosProtocolException ex = Assert.Throws<KerberosProtocolException>(
                () => KerberosEncryption.Encrypt(key, KeyUsage.TicketEncPart, "x"u8, new SeededRandom(1)));
            Assert.IsNotType<KerberosIntegrityException>(ex);
            Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.Decrypt(key, KeyUsage.TicketEncPart, new byte[64]));
            Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.PseudoRandom(key, "x"u8));
            Assert.Throws<KerberosProtocolException>(() => KerberosEncryption.RandomToKey(type, new byte[length]));
        }
    }

    [Theory]
    [InlineData(EncryptionType.Aes128CtsHmacSha196, 16)]
    [InlineData(EncryptionType.Aes256CtsHmacSha196, 32)]
    [InlineData(EncryptionType.Aes128CtsHmacSha256128, 16)]
    [InlineData(EncryptionType.Aes256CtsHmacSha384192, 32)]
    public void Key_sizes(EncryptionType type, int size)
    {
        Assert.True(KerberosEncryption.IsSupported(type));
        Assert.Equal(size, KerberosEncryption.KeySize(type));
        Assert.Equal(size, KerberosEncryption.RandomKey(type, new SeededRandom(1)).Value.Length);
    }

    [Fact]
    public void RandomKey_takes_its_bytes_from_the_random_source()
    {
        byte[] bits = Hex.Parse("000102030405060708090a0b0c0d0e0f");
        KerberosKey key = KerberosEncryption.RandomKey(EncryptionType.Aes128CtsHmacSha256128, new FixedRandom(bits));
        Assert.Equal(bits, key.Value.ToArray());
        Assert.Equal(bits, KerberosEncryption.RandomToKey(EncryptionType.Aes128CtsHmacSha256128, bits).Value.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000010")]
    [InlineData("0000100000")]
    [InlineData("00000000")]
    [InlineData("ffffffff")]
    [InlineData("01000001")]
    public void Bad_s2kparams_are_protocol_errors(string s2kParams)
    {
        if (s2kParams.Length == 0)
        {
            // Empty means "use the default", which must succeed.
            Assert.NotNull(KerberosEncryption.StringToKey(EncryptionType.Aes128CtsHmacSha196, "p", "s", ReadOnlySpan<byte>.Empty));
            return;
        }

        Assert.Throws<KerberosProtocolException>(
            () => KerberosEncryption.StringToKey(EncryptionType.Aes128CtsHmacSha196, "p", "s", Hex.Parse(s2kParams)));
    }

    [Fact]
    public void Unpaired_surrogate_in_password_is_a_protocol_error()
    {
        Assert.Throws<KerberosProtocolException>(
            () => KerberosEncryption.StringToKey(EncryptionType.Aes128CtsHmacSha196, "bad\uD800", "EXAMPLE.COMuser"));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void PseudoRandom_sizes_and_determinism(EncryptionType type)
    {
        KerberosKey key = KerberosEncryption.RandomKey(type, new SeededRandom(9));
        byte[] a = KerberosEncryption.PseudoRandom(key, "input"u8);
        byte[] b = KerberosEncryption.PseudoRandom(key, "input"u8);
        byte[] c = KerberosEncryption.PseudoRandom(key, "inpuT"u8);
        int expected = type switch
        {
            EncryptionType.Aes128CtsHmacSha256128 => 32,
            EncryptionType.Aes256CtsHmacSha384192 => 48,
            _ => 16,
        };
        Assert.Equal(expected, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Key_ToString_hides_the_key_bytes()
    {
        KerberosKey key = KerberosEncryption.RandomToKey(EncryptionType.Aes128CtsHmacSha196, Hex.Parse("41414141414141414141414141414141"));
        Assert.DoesNotContain("4141", key.ToString(), StringComparison.Ordinal);
    }
}
