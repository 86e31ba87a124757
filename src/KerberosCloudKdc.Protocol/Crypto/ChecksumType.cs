namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>Checksum type numbers from the IANA Kerberos registry (RFC 3961 §8, 3962, 8009, 4757).</summary>
/// <remarks>Only the AES HMAC types are implemented; the others are named so peers' choices can be read and logged.</remarks>
public enum ChecksumType
{
    Crc32 = 1,
    RsaMd4 = 2,
    RsaMd5 = 7,
    Sha1 = 14,
    HmacSha1Des3Kd = 12,
    HmacSha196Aes128 = 15,
    HmacSha196Aes256 = 16,
    HmacSha256128Aes128 = 19,
    HmacSha384192Aes256 = 20,
    HmacMd5 = -138,
}
