using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Which enctype a key is used with. The client's list is in its preference order and wins (RFC 4120
/// §3.1.3); the tenant policy says what the realm may issue at all (Entra: AES256 only, facts §7.1).
/// </summary>
internal static class EtypeNegotiation
{
    /// <summary>Session key type: the first requested etype the policy allows and the crypto layer implements.</summary>
    public static EncryptionType? SessionKeyType(IReadOnlyList<EncryptionType> requested, RealmPolicy policy)
    {
        foreach (var etype in requested)
        {
            if (Allowed(etype, policy))
            {
                return etype;
            }
        }

        return null;
    }

    /// <summary>The client's long-term key: the first requested etype the policy allows and the user has a key for.</summary>
    public static StoredKey? ClientKey(IReadOnlyList<EncryptionType> requested, RealmPolicy policy, IReadOnlyList<StoredKey> keys)
    {
        foreach (var etype in requested)
        {
            if (Allowed(etype, policy) && Newest(keys, etype, notExpiredAt: null) is { } key)
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>The key a ticket for this service is encrypted with: policy order, unexpired, newest kvno.</summary>
    public static StoredKey? ServiceKey(IReadOnlyList<StoredKey> keys, RealmPolicy policy, DateTimeOffset now)
    {
        foreach (var etype in policy.EncryptionTypes)
        {
            if (KerberosEncryption.IsSupported(etype) && Newest(keys, etype, now) is { } key)
            {
                return key;
            }
        }

        return null;
    }

    public static StoredKey? Newest(IReadOnlyList<StoredKey> keys, EncryptionType etype, DateTimeOffset? notExpiredAt)
    {
        StoredKey? best = null;
        foreach (var key in keys)
        {
            if (key.EncryptionType == etype
                && (notExpiredAt is null || key.ExpiresOn is null || key.ExpiresOn > notExpiredAt)
                && (best is null || key.Kvno > best.Kvno))
            {
                best = key;
            }
        }

        return best;
    }

    private static bool Allowed(EncryptionType etype, RealmPolicy policy)
    {
        foreach (var allowed in policy.EncryptionTypes)
        {
            if (allowed == etype)
            {
                return KerberosEncryption.IsSupported(etype);
            }
        }

        return false;
    }
}
