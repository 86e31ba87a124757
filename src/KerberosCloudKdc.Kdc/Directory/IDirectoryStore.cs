namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// What the engine reads of the directory. Async because a persistent or shared store sits behind it;
/// the engine never writes.
/// </summary>
public interface IDirectoryStore
{
    /// <summary>Finds a tenant by GUID or verified domain (case-insensitive).</summary>
    ValueTask<Tenant?> FindTenantAsync(string idOrDomain, CancellationToken cancellationToken = default);

    /// <summary>The tenant served at /KdcProxy and on raw TCP/UDP.</summary>
    ValueTask<Tenant?> GetDefaultTenantAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds a user by UPN, or by on-premises SAM account name (case-insensitive).</summary>
    ValueTask<DirectoryUser?> FindUserAsync(Guid tenantId, string name, CancellationToken cancellationToken = default);

    ValueTask<DirectoryGroup?> FindGroupAsync(Guid tenantId, Guid groupId, CancellationToken cancellationToken = default);

    /// <summary>Finds the service principal that owns an SPN (case-insensitive).</summary>
    ValueTask<ServicePrincipal?> FindServicePrincipalAsync(Guid tenantId, string spn, CancellationToken cancellationToken = default);

    /// <summary>The tenant's cloud krbtgt keys, newest first; older ones still open tickets they issued.</summary>
    ValueTask<IReadOnlyList<StoredKey>> GetKrbtgtKeysAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The keys of the inbound trust from <paramref name="realm"/> (krbtgt/KERBEROS.MICROSOFTONLINE.COM@realm),
    /// newest first; empty when the tenant trusts no such realm. Realm names match case-insensitively.
    /// </summary>
    ValueTask<IReadOnlyList<StoredKey>> GetInboundTrustKeysAsync(Guid tenantId, string realm, CancellationToken cancellationToken = default);

    /// <summary>The cloud Kerberos trust for the on-premises domain <paramref name="domainDnsName"/> (case-insensitive), or null.</summary>
    ValueTask<CloudTrustDomain?> GetCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default);

    /// <summary>A registered device by its deviceId (the device certificate's CN), or null.</summary>
    ValueTask<RegisteredDevice?> FindDeviceAsync(Guid tenantId, Guid deviceId, CancellationToken cancellationToken = default);
}
