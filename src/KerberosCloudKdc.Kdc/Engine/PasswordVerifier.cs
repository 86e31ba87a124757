using System.Security.Cryptography;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Checks a cleartext password (the token endpoint's password grants) against the keys the directory
/// stores. No password is kept, so the check derives the key the AS exchange would use for this user
/// (same etype choice as <see cref="EtypeNegotiation.ClientKey"/>) with that key's stored salt and compares.
/// </summary>
public static class PasswordVerifier
{
    public static bool Matches(DirectoryUser user, string password, RealmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(policy);
        var stored = EtypeNegotiation.ClientKey(policy.EncryptionTypes, policy, user.Keys);
        if (stored is null)
        {
            return false;
        }

        // Raw (kk:) keys carry no salt; the user-key default salt is what KeyFactory.ForUser used otherwise.
        var salt = stored.Salt ?? CloudRealm.Name + user.UserPrincipalName;
        var derived = KerberosEncryption.StringToKey(stored.EncryptionType, password, salt);
        return CryptographicOperations.FixedTimeEquals(derived.Value, stored.Key.Value);
    }
}
