using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// Cloud Kerberos trust for one on-premises AD domain (facts §4.1): the virtual RODC "AzureADKerberos" and
/// its secondary krbtgt_AzureAD key, with which this KDC mints partial TGTs (<c>tgt_ad</c>) that a writable
/// DC of that domain exchanges for a full TGT. Only users the RODC password replication policy reveals get one.
/// </summary>
public sealed record CloudTrustDomain
{
    /// <summary>The AD domain's DNS name, e.g. contoso.com; the partial TGT's realm is its upper-case form.</summary>
    public required string DnsName { get; init; }

    /// <summary>The RODC number (msDS-SecondaryKrbTgtNumber, the N of krbtgt_N); the kvno's high 16 bits.</summary>
    public required ushort RodcNumber { get; init; }

    /// <summary>
    /// krbtgt_AzureAD keys, newest first. <see cref="StoredKey.Kvno"/> holds the full KeyVersion as
    /// Get-AzureADKerberosServer shows it; tickets carry <c>RodcNumber &lt;&lt; 16 | (KeyVersion &amp; 0xFFFF)</c>.
    /// </summary>
    public required IReadOnlyList<StoredKey> Keys { get; init; }

    /// <summary>When the newest key was set or rotated (Get-AzureADKerberosServer's KeyUpdatedOn).</summary>
    public required DateTimeOffset KeyUpdatedOn { get; init; }

    /// <summary>msDS-RevealOnDemandGroup: SIDs (or well-known RIDs resolved against the domain SID) allowed a partial TGT.</summary>
    public IReadOnlyList<SecurityIdentifier> AllowedGroupSids { get; init; } = [];

    /// <summary>msDS-NeverRevealGroup: SIDs that never get a partial TGT; deny wins over allow.</summary>
    public IReadOnlyList<SecurityIdentifier> DeniedGroupSids { get; init; } = [];
}
