using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>A security group. Synced groups carry their AD SID; cloud groups have only the object id.</summary>
public sealed record DirectoryGroup
{
    public required Guid ObjectId { get; init; }

    public required string DisplayName { get; init; }

    public SecurityIdentifier? OnPremisesSecurityIdentifier { get; init; }
}
