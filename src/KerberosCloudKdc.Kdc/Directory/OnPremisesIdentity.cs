using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>What Entra Connect synced for a hybrid user (Graph's onPremises* attributes).</summary>
public sealed record OnPremisesIdentity
{
    public required string SamAccountName { get; init; }

    /// <summary>The user's AD SID: the domain SID plus the user's RID.</summary>
    public required SecurityIdentifier SecurityIdentifier { get; init; }

    /// <summary>DNS name of the user's AD domain.</summary>
    public required string DomainName { get; init; }

    public uint PrimaryGroupRid { get; init; } = 513;
}
