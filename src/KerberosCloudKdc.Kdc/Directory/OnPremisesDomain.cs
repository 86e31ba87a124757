using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>The on-premises AD domain whose identities a hybrid tenant syncs (names and SID go into PACs).</summary>
public sealed record OnPremisesDomain
{
    /// <summary>DNS name, e.g. contoso.com (the AD realm is its upper-case form).</summary>
    public required string DnsName { get; init; }

    /// <summary>NetBIOS name, e.g. CONTOSO.</summary>
    public required string NetBiosName { get; init; }

    public required SecurityIdentifier DomainSid { get; init; }
}
