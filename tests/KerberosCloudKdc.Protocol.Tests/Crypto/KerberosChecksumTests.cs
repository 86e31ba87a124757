using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

public class KerberosChecksumTests
{
    [Theory]
    [InlineData(EncryptionType.Aes128CtsHmacSha196, ChecksumType.HmacSha196Aes128, 12)]
    [InlineData(EncryptionType.Aes256CtsHmacSha196, ChecksumType.HmacSha196Aes256, 12)]
    [InlineData(EncryptionType.Aes128CtsHmacSha256128, ChecksumType.HmacSha256128Aes128, 16)]
    [InlineData(EncryptionType.Aes256CtsHmacSha384192, ChecksumType.HmacSha384192Aes256, 24)]
    public void Mapping_sizes_and_round_trip(EncryptionType etype, ChecksumType cksumtype, int size)
    {
        Assert.Equal(cksumtype, KerberosChecksum.ForEncryptionType(etype));
        Assert.True(KerberosChecksum.IsSupported(cksumtype));
        Assert.Equal(size, KerberosChecksum.Size(cksumtype));

        KerberosKey key = KerberosEncryption.RandomKey(etype, new SeededRandom(11));
        byte[] checksum = KerberosChecksum.Compute(cksumtype, key, KeyUsage.PacChecksum, "PAC bytes"u8);
        Assert.Equal(size, checksum.Length);
        Assert.True(KerberosChecksum.Verify(cksumtype, key, KeyUsage.PacChecksum, "PAC bytes"u8, checksum));

        Assert.False(KerberosChecksum.Verify(cksumtype, key, KeyUsage.PacChecksum, "PAC byteS"u8, checksum));
        Assert.False(KerberosChecksum.Verify(cksumtype, key, KeyUsage.KrbSafeChecksum, "PAC bytes"u8, checksum));
        Assert.False(KerberosChecksum.Verify(cksumtype, key, KeyUsage.PacChecksum, "PAC bytes"u8, checksum.AsSpan(0, size - 1)));
        Assert.False(KerberosChecksum.Verify(cksumtype, key, KeyUsage.PacChecksum, "PAC bytes"u8, ReadOnlySpan<byte>.Empty));

        KerberosKey other = KerberosEncryption.RandomKey(etype, new SeededRandom(12));
        Assert.False(KerberosChecksum.Verify(cksumtype, other, KeyUsage.PacChecksum, "PAC bytes"u8, checksum));

        for (int bit = 0; bit < size * 8; bit++)
        {
            byte[] tampered = (byte[])checksum.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(KerberosChecksum.Verify(cksumtype, key, KeyUsage.PacChecksum, "PAC bytes"u8, tampered));
        }
    }

    [Fact]
    public void Checksum_type_must_match_key_enctype()
    {
        KerberosKey aes128 = KerberosEncryption.RandomKey(EncryptionType.Aes128CtsHmacSha196, new SeededRandom(13));
        Assert.Throws<KerberosProtocolException>(
            () => KerberosChecksum.Compute(ChecksumType.HmacSha196Aes256, aes128, KeyUsage.PacChecksum, "x"u8));
        Assert.Throws<KerberosProtocolException>(
            () => KerberosChecksum.Compute(ChecksumType.HmacSha256128Aes128, aes128, KeyUsage.PacChecksum, "x"u8));
        Assert.Throws<KerberosProtocolException>(
            () => KerberosChecksum.Verify(ChecksumType.HmacSha384192Aes256, aes128, KeyUsage.PacChecksum, "x"u8, new byte[24]));
    }

    [Theory]
    [InlineData(ChecksumType.HmacMd5)]
    [InlineData(ChecksumType.RsaMd5)]
    [InlineData(ChecksumType.Crc32)]
    [InlineData(ChecksumType.HmacSha1Des3Kd)]
    [InlineData((ChecksumType)4242)]
    public void Unsupported_checksum_types_are_protocol_errors(ChecksumType type)
    {
        KerberosKey key = KerberosEncryption.RandomKey(EncryptionType.Aes128CtsHmacSha196, new SeededRandom(14));
        Assert.False(KerberosChecksum.IsSupported(type));
        Assert.Throws<KerberosProtocolException>(() => KerberosChecksum.Size(type));
        Assert.Throws<KerberosProtocolException>(() => KerberosChecksum.Compute(type, key, KeyUsage.PacChecksum, "x"u8));
        Assert.Throws<KerberosProtocolException>(() => KerberosChecksum.Verify(type, key, KeyUsage.PacChecksum, "x"u8, new byte[16]));
    }

    [Fact]
    public void ForEncryptionType_rejects_unsupported_enctypes()
    {
        Assert.Throws<KerberosProtocolException>(() => KerberosChecksum.ForEncryptionType(EncryptionType.Rc4Hmac));
    }
}
