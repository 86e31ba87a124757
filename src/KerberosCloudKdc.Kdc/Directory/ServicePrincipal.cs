namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>A service that accepts Kerberos tickets, e.g. an Azure Files storage account's app (facts §5.2).</summary>
public sealed record ServicePrincipal
{
    /// <summary>Tag that lets cloud-only group SIDs (S-1-12-1-…) into this service's tickets (facts §5.4).</summary>
    public const string CloudGroupSidsTag = "kdc_enable_cloud_group_sids";

    public required Guid ObjectId { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>SPNs such as cifs/acct.file.core.windows.net; matched case-insensitively.</summary>
    public required IReadOnlyList<string> ServicePrincipalNames { get; init; }

    /// <summary>
    /// Kerberos keys by SPN (lower-cased). A raw key ("kk:" secret) is the same for every SPN; a password
    /// yields one key per SPN, salted with the RFC 4120 default salt so MIT ktutil derives the same key.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<StoredKey>> KeysBySpn { get; init; } =
        new Dictionary<string, IReadOnlyList<StoredKey>>();

    public IReadOnlySet<string> Tags { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public bool AccountEnabled { get; init; } = true;
}
