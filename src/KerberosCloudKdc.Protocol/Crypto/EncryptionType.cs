namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>Encryption type numbers from the IANA Kerberos registry (RFC 3961 §8, 3962, 8009, 4757).</summary>
/// <remarks>Only the AES types are implemented; the others are named so peers' lists can be read and logged.</remarks>
public enum EncryptionType
{
    Null = 0,
    DesCbcCrc = 1,
    DesCbcMd4 = 2,
    DesCbcMd5 = 3,
    Des3CbcSha1 = 16,
    Aes128CtsHmacSha196 = 17,
    Aes256CtsHmacSha196 = 18,
    Aes128CtsHmacSha256128 = 19,
    Aes256CtsHmacSha384192 = 20,
    Rc4Hmac = 23,
    Rc4HmacExp = 24,
    Camellia128CtsCmac = 25,
    Camellia256CtsCmac = 26,
}
