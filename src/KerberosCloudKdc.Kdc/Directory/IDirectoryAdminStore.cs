namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// The write side of the directory, for the admin API, the CLI and seeding. Writes replace whole
/// records and are durable when the call returns; the engine only ever reads (<see cref="IDirectoryStore"/>).
/// Conflicts (duplicate UPN, SPN or id) raise <see cref="DirectoryConflictException"/>; writes to
/// objects that do not exist raise <see cref="DirectoryObjectNotFoundException"/>.
/// </summary>
public interface IDirectoryAdminStore : IDirectoryStore
{
    ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default);

    ValueTask AddTenantAsync(Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys, bool isDefault = false, CancellationToken cancellationToken = default);

    ValueTask UpdateTenantAsync(Tenant tenant, CancellationToken cancellationToken = default);

    /// <summary>Replaces the tenant's krbtgt keys (newest first); rotation keeps older keys in the list.</summary>
    ValueTask SetKrbtgtKeysAsync(Guid tenantId, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken = default);

    /// <summary>The realms the tenant has an inbound trust from, upper case, sorted.</summary>
    ValueTask<IReadOnlyList<string>> ListInboundTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the inbound trust keys for <paramref name="realm"/> (newest first); an empty list removes the trust.</summary>
    ValueTask SetInboundTrustKeysAsync(Guid tenantId, string realm, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<DirectoryUser>> ListUsersAsync(Guid tenantId, CancellationToken cancellationToken = default);

    ValueTask<DirectoryUser?> GetUserAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default);

    ValueTask AddUserAsync(Guid tenantId, DirectoryUser user, CancellationToken cancellationToken = default);

    ValueTask UpdateUserAsync(Guid tenantId, DirectoryUser user, CancellationToken cancellationToken = default);

    ValueTask DeleteUserAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    ValueTask AddGroupAsync(Guid tenantId, DirectoryGroup group, CancellationToken cancellationToken = default);

    ValueTask UpdateGroupAsync(Guid tenantId, DirectoryGroup group, CancellationToken cancellationToken = default);

    /// <summary>Deletes the group and removes it from every member's <see cref="DirectoryUser.GroupIds"/>.</summary>
    ValueTask DeleteGroupAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<ServicePrincipal>> ListServicePrincipalsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    ValueTask<ServicePrincipal?> GetServicePrincipalAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default);

    ValueTask AddServicePrincipalAsync(Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken = default);

    ValueTask UpdateServicePrincipalAsync(Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken = default);

    ValueTask DeleteServicePrincipalAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's cloud Kerberos trusts, ordered by DNS name.</summary>
    ValueTask<IReadOnlyList<CloudTrustDomain>> ListCloudTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the cloud trust for <see cref="CloudTrustDomain.DnsName"/> (keys newest first).</summary>
    ValueTask SetCloudTrustAsync(Guid tenantId, CloudTrustDomain trust, CancellationToken cancellationToken = default);

    ValueTask DeleteCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<RegisteredDevice>> ListDevicesAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Adds a device; a second device with the same deviceId or certificate is a conflict.</summary>
    ValueTask AddDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default);

    ValueTask UpdateDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default);

    ValueTask DeleteDeviceAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default);
}

/// <summary>A write that would duplicate something unique; <see cref="Field"/> names it (userPrincipalName, servicePrincipalNames, id).</summary>
public sealed class DirectoryConflictException : Exception
{
    public DirectoryConflictException()
        : this("id", "The object already exists.")
    {
    }

    public DirectoryConflictException(string message)
        : this("id", message)
    {
    }

    public DirectoryConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "id";
    }

    public DirectoryConflictException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    public string Field { get; }
}

/// <summary>A write to a tenant or object that does not exist.</summary>
public sealed class DirectoryObjectNotFoundException : Exception
{
    public DirectoryObjectNotFoundException()
        : base("The object does not exist.")
    {
    }

    public DirectoryObjectNotFoundException(string message)
        : base(message)
    {
    }

    public DirectoryObjectNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
