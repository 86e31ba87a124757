using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// Turns secrets into <see cref="StoredKey"/>s at the moment they are set, so no password is ever kept.
/// Salts are RFC 4120 defaults in the cloud realm, which is what MIT's kinit and ktutil assume.
/// </summary>
public static class KeyFactory
{
    /// <summary>Prefix of a raw Kerberos key given as a secret: "kk:" + base64 of the key bytes (facts §5.3).</summary>
    public const string RawKeyPrefix = "kk:";

    /// <summary>
    /// User keys: salt = realm + UPN (the UPN is the single name component of the user's canonical name,
    /// e.g. KERBEROS.MICROSOFTONLINE.COMalice@contoso.com); clients learn it from ETYPE-INFO2.
    /// </summary>
    public static IReadOnlyList<StoredKey> ForUser(string password, string userPrincipalName, IEnumerable<EncryptionType> etypes, uint kvno = 1) =>
        Derive(password, CloudRealm.Name + userPrincipalName, etypes, kvno, expiresOn: null);

    /// <summary>
    /// Service keys, one set per SPN, or one raw key shared by every SPN. The salt is the realm plus the
    /// lower-cased SPN components: SPNs match case-insensitively (Azure Files registers CIFS/, Windows and
    /// MIT ask for cifs/), so the key must not depend on the case someone registered.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<StoredKey>> ForServicePrincipal(
        string secret, IEnumerable<string> spns, IEnumerable<EncryptionType> etypes, uint kvno = 1, DateTimeOffset? expiresOn = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var etypeList = etypes.ToList();
        var result = new Dictionary<string, IReadOnlyList<StoredKey>>(StringComparer.OrdinalIgnoreCase);
        var raw = secret.StartsWith(RawKeyPrefix, StringComparison.Ordinal) ? ParseRawKey(secret, kvno, expiresOn) : null;
        foreach (var spn in spns)
        {
            result[spn.ToLowerInvariant()] = raw ?? Derive(secret, KerberosSalt.ForPrincipal(CloudRealm.Name, spn.ToLowerInvariant().Split('/')), etypeList, kvno, expiresOn);
        }

        return result;
    }

    /// <summary>Etypes an inbound trust key is derived for: MIT's default supported_enctypes, so either one opens the referral.</summary>
    public static IReadOnlyList<EncryptionType> InboundTrustEncryptionTypes { get; } =
        [EncryptionType.Aes256CtsHmacSha196, EncryptionType.Aes128CtsHmacSha196];

    /// <summary>
    /// Inbound trust keys (krbtgt/KERBEROS.MICROSOFTONLINE.COM@<paramref name="realm"/>): a raw kk: key, or keys
    /// derived from a password with MIT's default salt for that principal: REALM + "krbtgt" + "KERBEROS.MICROSOFTONLINE.COM"
    /// (what kadmin addprinc -pw uses). An AD trust (TDO) salts differently; give its key as kk: then.
    /// </summary>
    public static IReadOnlyList<StoredKey> ForInboundTrust(string secret, string realm, uint kvno = 1)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(realm);
        return secret.StartsWith(RawKeyPrefix, StringComparison.Ordinal)
            ? ParseRawKey(secret, kvno, expiresOn: null)
            : Derive(secret, InboundTrustSalt(realm), InboundTrustEncryptionTypes, kvno, expiresOn: null);
    }

    /// <summary>MIT's default salt for krbtgt/KERBEROS.MICROSOFTONLINE.COM@realm.</summary>
    public static string InboundTrustSalt(string realm) =>
        KerberosSalt.ForPrincipal(realm.ToUpperInvariant(), ["krbtgt", CloudRealm.Name]);

    /// <summary>A tenant krbtgt key: random, never derived from anything a person typed.</summary>
    public static StoredKey RandomKrbtgtKey(IKerberosRandom random, uint kvno, EncryptionType etype = EncryptionType.Aes256CtsHmacSha196) =>
        new() { Key = KerberosEncryption.RandomKey(etype, random), Kvno = kvno };

    /// <summary>
    /// The keys to keep after a rotation: every key of the newest two versions. AD and Entra (kerb1/kerb2)
    /// keep the current and the previous key, so tickets issued just before a rotation still open, while the
    /// list the KDC decrypts on every request stays bounded however often keys rotate.
    /// </summary>
    public static IReadOnlyList<StoredKey> CurrentAndPrevious(IEnumerable<StoredKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        var kept = list.Select(k => k.Kvno).Distinct().OrderDescending().Take(2).ToHashSet();
        return list.Where(k => kept.Contains(k.Kvno)).ToList();
    }

    private static List<StoredKey> ParseRawKey(string secret, uint kvno, DateTimeOffset? expiresOn)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(secret[RawKeyPrefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("A kk: key must be base64.", nameof(secret), e);
        }

        var etype = bytes.Length switch
        {
            32 => EncryptionType.Aes256CtsHmacSha196,
            16 => EncryptionType.Aes128CtsHmacSha196,
            _ => throw new ArgumentException("A kk: key must be 16 or 32 bytes.", nameof(secret)),
        };
        return [new StoredKey { Key = new KerberosKey(etype, bytes), Kvno = kvno, ExpiresOn = expiresOn }];
    }

    private static List<StoredKey> Derive(string password, string salt, IEnumerable<EncryptionType> etypes, uint kvno, DateTimeOffset? expiresOn) =>
        etypes.Select(etype => new StoredKey
        {
            Key = KerberosEncryption.StringToKey(etype, password, salt),
            Kvno = kvno,
            Salt = salt,
            ExpiresOn = expiresOn,
        }).ToList();
}
