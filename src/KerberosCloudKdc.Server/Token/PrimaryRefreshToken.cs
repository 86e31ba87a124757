namespace KerberosCloudKdc.Server.Token;

/// <summary>What a PRT carries once unsealed (docs/token-path.md §1.3). The session key is fixed for the PRT's life.</summary>
internal sealed record PrimaryRefreshToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    public required Guid TenantId { get; init; }

    public required Guid UserId { get; init; }

    public required Guid DeviceId { get; init; }

    public required byte[] SessionKey { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
