using System.Collections.Concurrent;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// The directory in memory: for tests, CI fixtures and the embedded demo. Writes replace whole records,
/// so readers always see a consistent user or service principal.
/// </summary>
public sealed class InMemoryDirectoryStore : IDirectoryStore
{
    private readonly ConcurrentDictionary<Guid, TenantData> tenants = new();
    private Guid? defaultTenantId;

    public void AddTenant(Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys, bool isDefault = false)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        tenants[tenant.Id] = new TenantData(tenant, krbtgtKeys);
        if (isDefault || defaultTenantId is null)
        {
            defaultTenantId = tenant.Id;
        }
    }

    public void SetKrbtgtKeys(Guid tenantId, IReadOnlyList<StoredKey> keys) => Data(tenantId).KrbtgtKeys = keys;

    public void AddUser(Guid tenantId, DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Data(tenantId).Users[user.ObjectId] = user;
    }

    public void AddGroup(Guid tenantId, DirectoryGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Data(tenantId).Groups[group.ObjectId] = group;
    }

    public void AddServicePrincipal(Guid tenantId, ServicePrincipal servicePrincipal)
    {
        ArgumentNullException.ThrowIfNull(servicePrincipal);
        Data(tenantId).ServicePrincipals[servicePrincipal.ObjectId] = servicePrincipal;
    }

    public IReadOnlyList<Tenant> Tenants => tenants.Values.Select(t => t.Tenant).ToList();

    public ValueTask<Tenant?> FindTenantAsync(string idOrDomain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrDomain);
        if (Guid.TryParse(idOrDomain, out var id))
        {
            return ValueTask.FromResult(tenants.TryGetValue(id, out var byId) ? byId.Tenant : null);
        }

        var byDomain = tenants.Values.FirstOrDefault(t =>
            t.Tenant.VerifiedDomains.Contains(idOrDomain, StringComparer.OrdinalIgnoreCase));
        return ValueTask.FromResult(byDomain?.Tenant);
    }

    public ValueTask<Tenant?> GetDefaultTenantAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(defaultTenantId is { } id && tenants.TryGetValue(id, out var data) ? data.Tenant : null);

    public ValueTask<DirectoryUser?> FindUserAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        if (!tenants.TryGetValue(tenantId, out var data))
        {
            return ValueTask.FromResult<DirectoryUser?>(null);
        }

        var user = data.Users.Values.FirstOrDefault(u =>
            string.Equals(u.UserPrincipalName, name, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(u.OnPremises?.SamAccountName, name, StringComparison.OrdinalIgnoreCase));
        return ValueTask.FromResult(user);
    }

    public ValueTask<DirectoryGroup?> FindGroupAsync(Guid tenantId, Guid groupId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(tenants.TryGetValue(tenantId, out var data) && data.Groups.TryGetValue(groupId, out var group) ? group : null);

    public ValueTask<ServicePrincipal?> FindServicePrincipalAsync(Guid tenantId, string spn, CancellationToken cancellationToken = default)
    {
        if (!tenants.TryGetValue(tenantId, out var data))
        {
            return ValueTask.FromResult<ServicePrincipal?>(null);
        }

        var servicePrincipal = data.ServicePrincipals.Values.FirstOrDefault(sp =>
            sp.ServicePrincipalNames.Contains(spn, StringComparer.OrdinalIgnoreCase));
        return ValueTask.FromResult(servicePrincipal);
    }

    public ValueTask<IReadOnlyList<StoredKey>> GetKrbtgtKeysAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(tenants.TryGetValue(tenantId, out var data) ? data.KrbtgtKeys : (IReadOnlyList<StoredKey>)[]);

    private TenantData Data(Guid tenantId) =>
        tenants.TryGetValue(tenantId, out var data) ? data : throw new KeyNotFoundException($"Tenant {tenantId} does not exist.");

    private sealed class TenantData(Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys)
    {
        public Tenant Tenant { get; } = tenant;

        public IReadOnlyList<StoredKey> KrbtgtKeys { get; set; } = krbtgtKeys;

        public ConcurrentDictionary<Guid, DirectoryUser> Users { get; } = new();

        public ConcurrentDictionary<Guid, DirectoryGroup> Groups { get; } = new();

        public ConcurrentDictionary<Guid, ServicePrincipal> ServicePrincipals { get; } = new();
    }
}
