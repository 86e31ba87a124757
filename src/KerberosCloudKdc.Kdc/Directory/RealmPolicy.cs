using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// Per-tenant knobs. Defaults follow what is observed of Entra (facts §7.1, §7.2, §7.6); each one that is
/// an inference rather than a documented fact is a setting so labs can change it.
/// </summary>
public sealed record RealmPolicy
{
    public static RealmPolicy Default { get; } = new();

    /// <summary>Real Entra mints TGTs on its token endpoint; the AS exchange is a lab convenience, on by default.</summary>
    public bool AsExchangeEnabled { get; init; } = true;

    /// <summary>
    /// Entra Kerberos serves hybrid identities only (facts §5.4); a lab may let cloud-only users get TGTs too.
    /// Their service tickets still need a service principal tagged kdc_enable_cloud_group_sids.
    /// </summary>
    public bool CloudOnlyUsersAllowed { get; init; }

    public TimeSpan TgtLifetime { get; init; } = TimeSpan.FromHours(10);

    public TimeSpan TgtRenewableLifetime { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan ServiceTicketLifetime { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Etypes the realm issues, strongest first. Entra uses AES256-CTS-HMAC-SHA1-96 only.</summary>
    public IReadOnlyList<EncryptionType> EncryptionTypes { get; init; } = [EncryptionType.Aes256CtsHmacSha196];

    /// <summary>
    /// The lab token grant (grant_type=password, no device): returns tgt_cloud with a plain base64 clientKey.
    /// Real Entra has no such thing for tickets, so it is off unless a tenant turns it on.
    /// </summary>
    public bool PasswordGrantEnabled { get; init; }

    /// <summary>
    /// kerberos_top_level_names in the token response (facts §2.6, §3.3): host suffixes Windows maps to
    /// KERBEROS.MICROSOFTONLINE.COM. Sent comma-separated.
    /// </summary>
    public IReadOnlyList<string> KerberosTopLevelNames { get; init; } =
        [".windows.net", ".windows.net:1433", ".windows.net:3342", ".azure.net", ".azure.net:1433", ".azure.net:3342"];
}
