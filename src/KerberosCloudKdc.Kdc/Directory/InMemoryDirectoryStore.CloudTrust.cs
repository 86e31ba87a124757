using System.Collections.Concurrent;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>Cloud Kerberos trusts, kept beside (not inside) the per-tenant data, keyed by tenant and lower-cased DNS name.</summary>
public sealed partial class InMemoryDirectoryStore
{
    private readonly ConcurrentDictionary<(Guid Tenant, string Domain), CloudTrustDomain> cloudTrusts = new();

    public ValueTask<CloudTrustDomain?> GetCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domainDnsName);
        return ValueTask.FromResult(cloudTrusts.GetValueOrDefault((tenantId, domainDnsName.ToLowerInvariant())));
    }

    public ValueTask<IReadOnlyList<CloudTrustDomain>> ListCloudTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        _ = Data(tenantId);
        return ValueTask.FromResult<IReadOnlyList<CloudTrustDomain>>(cloudTrusts
            .Where(pair => pair.Key.Tenant == tenantId)
            .OrderBy(pair => pair.Key.Domain, StringComparer.Ordinal)
            .Select(pair => pair.Value)
            .ToList());
    }

    public ValueTask SetCloudTrustAsync(Guid tenantId, CloudTrustDomain trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentException.ThrowIfNullOrWhiteSpace(trust.DnsName);
        _ = Data(tenantId);

        // Copies, so a caller mutating the lists it passed in cannot change what is stored.
        cloudTrusts[(tenantId, trust.DnsName.ToLowerInvariant())] = trust with
        {
            Keys = trust.Keys.ToArray(),
            AllowedGroupSids = trust.AllowedGroupSids.ToArray(),
            DeniedGroupSids = trust.DeniedGroupSids.ToArray(),
        };
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domainDnsName);
        _ = Data(tenantId);
        return cloudTrusts.TryRemove((tenantId, domainDnsName.ToLowerInvariant()), out _)
            ? ValueTask.CompletedTask
            : throw new DirectoryObjectNotFoundException($"No cloud trust for {domainDnsName}.");
    }
}
