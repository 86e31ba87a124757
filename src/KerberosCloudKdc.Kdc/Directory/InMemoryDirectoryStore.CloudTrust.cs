using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Kdc.Directory;

// Contract placeholder: the cloud-trust slice (issue 5 §2) replaces these.
public sealed partial class InMemoryDirectoryStore
{
    public ValueTask<CloudTrustDomain?> GetCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<CloudTrustDomain?>(null);

    public ValueTask<IReadOnlyList<CloudTrustDomain>> ListCloudTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<CloudTrustDomain>>([]);

    public ValueTask SetCloudTrustAsync(Guid tenantId, CloudTrustDomain trust, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Cloud trust storage is not built yet.");

    public ValueTask DeleteCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Cloud trust storage is not built yet.");
}
