using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>RFC 3962 Appendix B (string-to-key and AES-CTS), plus MIT's published RFC 3962 PRF and checksum vectors.</summary>
public class Rfc3962VectorTests
{
    private const string Athena = "ATHENA.MIT.EDUraeburn";

    public static TheoryData<int, string, string, string, string> StringToKeyVectors => new()
    {
        // iterations, password (hex of UTF-8), salt (hex), AES-128 key, AES-256 key
        { 1, Ascii("password"), Ascii(Athena),
            "42 26 3c 6e 89 f4 fc 28 b8 df 68 ee 09 79 9f 15",
            "fe 69 7b 52 bc 0d 3c e1 44 32 ba 03 6a 92 e6 5b bb 52 28 09 90 a2 fa 27 88 39 98 d7 2a f3 01 61" },
        { 2, Ascii("password"), Ascii(Athena),
            "c6 51 bf 29 e2 30 0a c2 7f a4 69 d6 93 bd da 13",
            "a2 e1 6d 16 b3 60 69 c1 35 d5 e9 d2 e2 5f 89 61 02 68 56 18 b9 59 14 b4 67 c6 76 22 22 58 24 ff" },
        { 1200, Ascii("password"), Ascii(Athena),
            "4c 01 cd 46 d6 32 d0 1e 6d be 23 0a 01 ed 64 2a",
            "55 a6 ac 74 0a d1 7b 48 46 94 10 51 e1 e8 b0 a7 54 8d 93 b0 ab 30 a8 bc 3f f1 62 80 38 2b 8c 2a" },
        { 5, Ascii("password"), "1234567878563412",
            "e9 b2 3d 52 27 37 47 dd 5c 35 cb 55 be 61 9d 8e",
            "97 a4 e7 86 be 20 d8 1a 38 2d 5e bc 96 d5 90 9c ab cd ad c8 7c a4 8f 57 45 04 15 9f 16 c3 6e 31" },
        { 1200, Ascii(new string('X', 64)), Ascii("pass phrase equals block size"),
            "59 d1 bb 78 9a 82 8b 1a a5 4e f9 c2 88 3f 69 ed",
            "89 ad ee 36 08 db 8b c7 1f 1b fb fe 45 94 86 b0 56 18 b7 0c ba e2 20 92 53 4e 56 c5 53 ba 4b 34" },
        { 1200, Ascii(new string('X', 65)), Ascii("pass phrase exceeds block size"),
            "cb 80 05 dc 5f 90 17 9a 7f 02 10 4c 00 18 75 1d",
            "d7 8c 5c 9c b8 72 a8 c9 da d4 69 7f 0b b5 b2 d2 14 96 c8 2b eb 2c ae da 21 12 fc ee a0 57 40 1b" },
        { 50, "f09d849e", Ascii("EXAMPLE.COMpianist"),
            "f1 49 c1 f2 e1 54 a7 34 52 d4 3e 7f e6 2a 56 e5",
            "4b 6d 98 39 f8 44 06 df 1f 09 cc 16 6d b4 b8 3c 57 18 48 b7 84 a3 d6 bd c3 46 58 9a 3e 39 3f 9e" },
    };

    [Theory]
    [MemberData(nameof(StringToKeyVectors))]
    public void StringToKey_aes128(int iterations, string passwordHex, string saltHex, string aes128, string aes256)
    {
        _ = aes256;
        KerberosKey key = KerberosEncryption.StringToKey(
            EncryptionType.Aes128CtsHmacSha196, Hex.Parse(passwordHex), Hex.Parse(saltHex), Iterations(iterations));
        Assert.Equal(EncryptionType.Aes128CtsHmacSha196, key.EncryptionType);
        Assert.Equal(Hex.Format(Hex.Parse(aes128)), Hex.Format(key.Value));
    }

    [Theory]
    [MemberData(nameof(StringToKeyVectors))]
    public void StringToKey_aes256(int iterations, string passwordHex, string saltHex, string aes128, string aes256)
    {
        _ = aes128;
        KerberosKey key = KerberosEncryption.StringToKey(
            EncryptionType.Aes256CtsHmacSha196, Hex.Parse(passwordHex), Hex.Parse(saltHex), Iterations(iterations));
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, key.EncryptionType);
        Assert.Equal(Hex.Format(Hex.Parse(aes256)), Hex.Format(key.Value));
    }

    [Fact]
    public void StringToKey_string_overload_encodes_g_clef_as_utf8()
    {
        KerberosKey key = KerberosEncryption.StringToKey(
            EncryptionType.Aes256CtsHmacSha196, "\U0001D11E", "EXAMPLE.COMpianist", Iterations(50));
        Assert.Equal("4b6d9839f84406df1f09cc166db4b83c571848b784a3d6bdc346589a3e393f9e", Hex.Format(key.Value));
    }

    [Fact]
    public void StringToKey_without_params_uses_4096_iterations()
    {
        KerberosKey implicitCount = KerberosEncryption.StringToKey(EncryptionType.Aes128CtsHmacSha196, "password", Athena);
        KerberosKey explicitCount = KerberosEncryption.StringToKey(EncryptionType.Aes128CtsHmacSha196, "password", Athena, Iterations(4096));
        KerberosKey otherCount = KerberosEncryption.StringToKey(EncryptionType.Aes128CtsHmacSha196, "password", Athena, Iterations(4095));
        Assert.Equal(Hex.Format(explicitCount.Value), Hex.Format(implicitCount.Value));
        Assert.NotEqual(Hex.Format(otherCount.Value), Hex.Format(implicitCount.Value));
    }

    private const string CtsKey = "63 68 69 63 6b 65 6e 20 74 65 72 69 79 61 6b 69"; // "chicken teriyaki"

    private const string CtsInput =
        "49 20 77 6f 75 6c 64 20 6c 69 6b 65 20 74 68 65 20 47 65 6e 65 72 61 6c 20 47 61 75 27 73 20 43" +
        "68 69 63 6b 65 6e 2c 20 70 6c 65 61 73 65 2c 20 61 6e 64 20 77 6f 6e 74 6f 6e 20 73 6f 75 70 2e";

    [Theory]
    [InlineData(17, "c6 35 35 68 f2 bf 8c b4 d8 a5 80 36 2d a7 ff 7f 97")]
    [InlineData(31, "fc 00 78 3e 0e fd b2 c1 d4 45 d4 c8 ef f7 ed 22 97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5")]
    [InlineData(32, "39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5 a8 97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84")]
    [InlineData(47, "97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84 b3 ff fd 94 0c 16 a1 8c 1b 55 49 d2 f8 38 02 9e" +
                    "39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5")]
    [InlineData(48, "97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84 9d ad 8b bb 96 c4 cd c0 3b c1 03 e1 a1 94 bb d8" +
                    "39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5 a8")]
    [InlineData(64, "97 68 72 68 d6 ec cc c0 c0 7b 25 e2 5e cf e5 84 39 31 25 23 a7 86 62 d5 be 7f cb cc 98 eb f5 a8" +
                    "48 07 ef e8 36 ee 89 a5 26 73 0d bc 2f 7b c8 40 9d ad 8b bb 96 c4 cd c0 3b c1 03 e1 a1 94 bb d8")]
    public void AesCts_vectors_encrypt_and_decrypt(int length, string expected)
    {
        byte[] input = Hex.Parse(CtsInput)[..length];
        byte[] iv = new byte[16];
        using Aes aes = Aes.Create();
        aes.Key = Hex.Parse(CtsKey);

        byte[] output = new byte[length];
        AesCts.Encrypt(aes, iv, input, output);
        Assert.Equal(Hex.Format(Hex.Parse(expected)), Hex.Format(output));

        byte[] decrypted = new byte[length];
        AesCts.Decrypt(aes, iv, output, decrypted);
        Assert.Equal(Hex.Format(input), Hex.Format(decrypted));
    }

    // MIT krb5 src/lib/crypto/crypto_tests/t_prf.c (RFC 3962 §6 PRF).
    [Theory]
    [InlineData(17, "AE272E7CDEC86AC5138CDB196D8E297D", "0161", "77B39A37A868920F2A51F9DD150C5717")]
    [InlineData(17, "67AB1CFEF35E4C27FFDEAC60385A3E9C", "0162", "E06C0DD31FF02091994F2EF5178BFE3D")]
    [InlineData(18, "C01F157211F7B77EAAF457C3E156690127EE127D810BA6392E97BAA243EB0616", "0161", "B2628C788E2E9C4A9BB4644678C29F2F")]
    [InlineData(18, "C01F157211F7B77EAAF457C3E156690127EE127D810BA6392E97BAA243EB0616", "0261", "B406373350CEE8A6126F4A9B65A0CD21")]
    [InlineData(18, "9D520D2D980AA7CB6B693682B62DA258B333867951642CE647AE62B1E5E0B5E9", "0162", "FF0E289EA756C0559A0E911856961A49")]
    [InlineData(18, "9D520D2D980AA7CB6B693682B62DA258B333867951642CE647AE62B1E5E0B5E9", "0262", "0D674DD0F9A6806525A4D92E828BD15A")]
    public void PseudoRandom_vectors(int etype, string key, string input, string expected)
    {
        byte[] prf = KerberosEncryption.PseudoRandom(new KerberosKey((EncryptionType)etype, Hex.Parse(key)), Hex.Parse(input));
        Assert.Equal(expected.ToLowerInvariant(), Hex.Format(prf));
    }

    // MIT krb5 src/lib/crypto/crypto_tests/t_cksums.c (HMAC-SHA1-96 with derived Kc).
    [Theory]
    [InlineData(15, 17, 3, "9062430C8CDA3388922E6D6A509F5B7A", "eight nine ten eleven twelve thirteen", "01A4B088D45628F6946614E3")]
    [InlineData(16, 18, 4, "B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7", "fourteen", "E08739E3279E2903EC8E3836")]
    public void Checksum_vectors(int cksumtype, int etype, int usage, string key, string data, string expected)
    {
        KerberosKey k = new((EncryptionType)etype, Hex.Parse(key));
        byte[] checksum = KerberosChecksum.Compute((ChecksumType)cksumtype, k, (KeyUsage)usage, Encoding.ASCII.GetBytes(data));
        Assert.Equal(expected.ToLowerInvariant(), Hex.Format(checksum));
        Assert.True(KerberosChecksum.Verify((ChecksumType)cksumtype, k, (KeyUsage)usage, Encoding.ASCII.GetBytes(data), checksum));
    }

    internal static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));

    internal static byte[] Iterations(int count)
    {
        byte[] s2kParams = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(s2kParams, count);
        return s2kParams;
    }
}
