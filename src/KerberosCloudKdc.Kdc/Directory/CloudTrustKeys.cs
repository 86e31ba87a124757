using System.Globalization;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// krbtgt_AzureAD keys from what an administrator types (seed, admin API, CLI). Real Entra generates the key at
/// random and AD replicates it; a password or raw key is the lab's way to give a lab DC the same key.
/// </summary>
public static class CloudTrustKeys
{
    /// <summary>
    /// AD salts user-object keys with the upper-case realm followed by the sAMAccountName as stored
    /// (MS-KILE §3.1.1.2; "REALMkrbtgt" for krbtgt itself), so krbtgt_N's salt is e.g. CONTOSO.COMkrbtgt_9898.
    /// </summary>
    public static string Salt(string domainDnsName, ushort rodcNumber)
    {
        ArgumentNullException.ThrowIfNull(domainDnsName);
        return domainDnsName.ToUpperInvariant() + "krbtgt_" + rodcNumber.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The AES256 key (Entra issues AES256 only) derived from <paramref name="password"/> with <see cref="Salt"/>.</summary>
    public static StoredKey FromPassword(string password, string domainDnsName, ushort rodcNumber, uint keyVersion)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = Salt(domainDnsName, rodcNumber);
        return new StoredKey { Key = KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, password, salt), Kvno = keyVersion, Salt = salt };
    }

    /// <summary>A raw "kk:" + base64 key of 32 bytes; no salt. Throws <see cref="ArgumentException"/> with a reason otherwise.</summary>
    public static StoredKey FromRawKey(string text, uint keyVersion)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string format = "must be \"kk:\" followed by the base64 of 32 key bytes";
        if (!text.StartsWith(KeyFactory.RawKeyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException(format);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text[KeyFactory.RawKeyPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw new ArgumentException(format);
        }

        return bytes.Length == 32
            ? new StoredKey { Key = new KerberosKey(EncryptionType.Aes256CtsHmacSha196, bytes), Kvno = keyVersion }
            : throw new ArgumentException("must be 32 bytes (an AES256 key)");
    }
}
