using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Tests;

public class KeyFactoryTests
{
    [Fact]
    public void Rotation_keeps_every_key_of_the_newest_two_versions_only()
    {
        StoredKey Key(uint kvno, EncryptionType etype) => new() { Key = new KerberosKey(etype, new byte[etype == EncryptionType.Aes256CtsHmacSha196 ? 32 : 16]), Kvno = kvno };
        StoredKey[] keys =
        [
            Key(4, EncryptionType.Aes256CtsHmacSha196), Key(4, EncryptionType.Aes128CtsHmacSha196),
            Key(3, EncryptionType.Aes256CtsHmacSha196), Key(3, EncryptionType.Aes128CtsHmacSha196),
            Key(2, EncryptionType.Aes256CtsHmacSha196), Key(1, EncryptionType.Aes256CtsHmacSha196),
        ];

        var kept = KeyFactory.CurrentAndPrevious(keys);

        Assert.Equal([4u, 4u, 3u, 3u], kept.Select(k => k.Kvno));
        Assert.Equal(keys[..4], kept);
    }

    [Fact]
    public void Service_principal_keys_are_salted_with_the_lower_cased_spn()
    {
        var keys = KeyFactory.ForServicePrincipal("p", ["CIFS/Acct.file.core.windows.net"], [EncryptionType.Aes256CtsHmacSha196]);

        var key = Assert.Single(keys["cifs/acct.file.core.windows.net"]);
        Assert.Equal("KERBEROS.MICROSOFTONLINE.COMcifsacct.file.core.windows.net", key.Salt);
    }
}
