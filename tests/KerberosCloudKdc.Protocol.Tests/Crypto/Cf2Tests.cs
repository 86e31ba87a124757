using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>
/// KRB-FX-CF2 (RFC 6113 §5.1) against MIT krb5's src/lib/crypto/crypto_tests/t_cf2.expected: each key is
/// string-to-key of "key1"/"key2" with the same string as salt and default parameters; peppers "a" and "b".
/// </summary>
public class Cf2Tests
{
    [Theory]
    [InlineData(EncryptionType.Aes128CtsHmacSha196, "97df97e4b798b29eb31ed7280287a92a")]
    [InlineData(EncryptionType.Aes256CtsHmacSha196, "4d6ca4e629785c1f01baf55e2e548566b9617ae3a96868c337cb93b5e72b1c7b")]
    [InlineData(EncryptionType.Aes128CtsHmacSha256128, "edd02a39d2dbde31611c16e610be062c")]
    [InlineData(EncryptionType.Aes256CtsHmacSha384192, "67f6ea530aea85a37dcbb23349ea52dcc61ca8493ff557252327fd8304341584")]
    public void Mit_t_cf2_vectors(EncryptionType type, string expected)
    {
        KerberosKey k1 = KerberosEncryption.StringToKey(type, "key1", "key1");
        KerberosKey k2 = KerberosEncryption.StringToKey(type, "key2", "key2");
        KerberosKey combined = KerberosEncryption.Cf2(k1, k2, "a", "b");
        Assert.Equal(type, combined.EncryptionType);
        Assert.Equal(expected, Hex.Format(combined.Value));
    }

    [Fact]
    public void Output_has_the_first_keys_enctype()
    {
        KerberosKey k1 = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha384192, new SeededRandom(1));
        KerberosKey k2 = KerberosEncryption.RandomKey(EncryptionType.Aes128CtsHmacSha196, new SeededRandom(2));
        KerberosKey combined = KerberosEncryption.Cf2(k1, k2, "PKINIT", "KeyExchange");
        Assert.Equal(EncryptionType.Aes256CtsHmacSha384192, combined.EncryptionType);
        Assert.Equal(32, combined.Value.Length);
    }
}
