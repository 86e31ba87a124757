namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>An Entra tenant: the unit of isolation. Tickets issued for one tenant are never accepted by another.</summary>
public sealed record Tenant
{
    public required Guid Id { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Verified DNS domains (e.g. contoso.com); discovery accepts any of them in place of the GUID.</summary>
    public IReadOnlyList<string> VerifiedDomains { get; init; } = [];

    /// <summary>The synced on-premises AD domain, if the tenant is hybrid.</summary>
    public OnPremisesDomain? OnPremisesDomain { get; init; }

    public RealmPolicy Policy { get; init; } = RealmPolicy.Default;
}
