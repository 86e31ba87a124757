namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>A user of a tenant. Hybrid users carry <see cref="OnPremises"/>; cloud-only users do not, and Entra Kerberos serves only hybrid identities.</summary>
public sealed record DirectoryUser
{
    public required Guid ObjectId { get; init; }

    /// <summary>alice@contoso.com; matched case-insensitively.</summary>
    public required string UserPrincipalName { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    public bool AccountEnabled { get; init; } = true;

    /// <summary>Keys derived from the password, one per etype, salted as <see cref="StoredKey.Salt"/> says.</summary>
    public IReadOnlyList<StoredKey> Keys { get; init; } = [];

    public OnPremisesIdentity? OnPremises { get; init; }

    /// <summary>Object ids of the groups the user belongs to (directly).</summary>
    public IReadOnlyList<Guid> GroupIds { get; init; } = [];
}
