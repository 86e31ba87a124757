using System.Collections.Concurrent;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// The directory in memory: for tests, CI fixtures and runs that need no persistence. Writes replace
/// whole records under a per-tenant lock, so uniqueness checks and readers see a consistent state.
/// </summary>
public sealed partial class InMemoryDirectoryStore : IDirectoryAdminStore
{
    private readonly ConcurrentDictionary<Guid, TenantData> tenants = new();
    private readonly Lock tenantsLock = new();
    private Guid? defaultTenantId;

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

    public ValueTask<IReadOnlyList<StoredKey>> GetInboundTrustKeysAsync(Guid tenantId, string realm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(realm);
        return ValueTask.FromResult(tenants.TryGetValue(tenantId, out var data) && data.InboundTrusts.TryGetValue(realm, out var keys) ? keys : (IReadOnlyList<StoredKey>)[]);
    }

    public ValueTask<IReadOnlyList<string>> ListInboundTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>(Data(tenantId).InboundTrusts.Keys.Select(r => r.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList());

    public ValueTask SetInboundTrustKeysAsync(Guid tenantId, string realm, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        ArgumentNullException.ThrowIfNull(keys);
        var trusts = Data(tenantId).InboundTrusts;
        if (keys.Count == 0)
        {
            trusts.TryRemove(realm, out _);
        }
        else
        {
            trusts[realm] = keys.ToArray();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Tenant>>(tenants.Values.Select(t => t.Tenant).OrderBy(t => t.DisplayName, StringComparer.Ordinal).ToList());

    public ValueTask AddTenantAsync(Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys, bool isDefault = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(krbtgtKeys);
        lock (tenantsLock)
        {
            EnsureUniqueDomains(tenant);
            if (!tenants.TryAdd(tenant.Id, new TenantData(tenant, krbtgtKeys)))
            {
                throw new DirectoryConflictException("id", $"Tenant {tenant.Id} already exists.");
            }

            if (isDefault || defaultTenantId is null)
            {
                defaultTenantId = tenant.Id;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateTenantAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        lock (tenantsLock)
        {
            var data = Data(tenant.Id);
            EnsureUniqueDomains(tenant);
            data.Tenant = tenant;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One owner per verified domain: /contoso.com/kerberos must name exactly one tenant.</summary>
    private void EnsureUniqueDomains(Tenant tenant)
    {
        foreach (var other in tenants.Values)
        {
            if (other.Tenant.Id != tenant.Id &&
                other.Tenant.VerifiedDomains.Intersect(tenant.VerifiedDomains, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } clash)
            {
                throw new DirectoryConflictException("verifiedDomains", $"{clash} is already verified by another tenant.");
            }
        }
    }

    public ValueTask SetKrbtgtKeysAsync(Guid tenantId, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken = default)
    {
        Data(tenantId).KrbtgtKeys = keys;
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DirectoryUser>> ListUsersAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<DirectoryUser>>(Data(tenantId).Users.Values.OrderBy(u => u.UserPrincipalName, StringComparer.OrdinalIgnoreCase).ToList());

    public ValueTask<DirectoryUser?> GetUserAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Data(tenantId).Users.GetValueOrDefault(objectId));

    public ValueTask AddUserAsync(Guid tenantId, DirectoryUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var data = Data(tenantId);
        lock (data.Lock)
        {
            if (data.Users.ContainsKey(user.ObjectId))
            {
                throw new DirectoryConflictException("id", $"User {user.ObjectId} already exists.");
            }

            EnsureUniqueUser(data, user);
            data.Users[user.ObjectId] = user;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateUserAsync(Guid tenantId, DirectoryUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var data = Data(tenantId);
        lock (data.Lock)
        {
            if (!data.Users.ContainsKey(user.ObjectId))
            {
                throw new DirectoryObjectNotFoundException($"User {user.ObjectId} does not exist.");
            }

            EnsureUniqueUser(data, user);
            data.Users[user.ObjectId] = user;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteUserAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default) =>
        Data(tenantId).Users.TryRemove(objectId, out _)
            ? ValueTask.CompletedTask
            : throw new DirectoryObjectNotFoundException($"User {objectId} does not exist.");

    public ValueTask<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<DirectoryGroup>>(Data(tenantId).Groups.Values.OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase).ToList());

    public ValueTask AddGroupAsync(Guid tenantId, DirectoryGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Data(tenantId).Groups.TryAdd(group.ObjectId, group)
            ? ValueTask.CompletedTask
            : throw new DirectoryConflictException("id", $"Group {group.ObjectId} already exists.");
    }

    public ValueTask UpdateGroupAsync(Guid tenantId, DirectoryGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        var data = Data(tenantId);
        if (!data.Groups.ContainsKey(group.ObjectId))
        {
            throw new DirectoryObjectNotFoundException($"Group {group.ObjectId} does not exist.");
        }

        data.Groups[group.ObjectId] = group;
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteGroupAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        var data = Data(tenantId);
        lock (data.Lock)
        {
            if (!data.Groups.TryRemove(objectId, out _))
            {
                throw new DirectoryObjectNotFoundException($"Group {objectId} does not exist.");
            }

            foreach (var member in data.Users.Values.Where(u => u.GroupIds.Contains(objectId)).ToList())
            {
                data.Users[member.ObjectId] = member with { GroupIds = member.GroupIds.Where(g => g != objectId).ToList() };
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ServicePrincipal>> ListServicePrincipalsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ServicePrincipal>>(Data(tenantId).ServicePrincipals.Values.OrderBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase).ToList());

    public ValueTask<ServicePrincipal?> GetServicePrincipalAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Data(tenantId).ServicePrincipals.GetValueOrDefault(objectId));

    public ValueTask AddServicePrincipalAsync(Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servicePrincipal);
        var data = Data(tenantId);
        lock (data.Lock)
        {
            if (data.ServicePrincipals.ContainsKey(servicePrincipal.ObjectId))
            {
                throw new DirectoryConflictException("id", $"Service principal {servicePrincipal.ObjectId} already exists.");
            }

            EnsureUniqueSpns(data, servicePrincipal);
            data.ServicePrincipals[servicePrincipal.ObjectId] = servicePrincipal;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateServicePrincipalAsync(Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servicePrincipal);
        var data = Data(tenantId);
        lock (data.Lock)
        {
            if (!data.ServicePrincipals.ContainsKey(servicePrincipal.ObjectId))
            {
                throw new DirectoryObjectNotFoundException($"Service principal {servicePrincipal.ObjectId} does not exist.");
            }

            EnsureUniqueSpns(data, servicePrincipal);
            data.ServicePrincipals[servicePrincipal.ObjectId] = servicePrincipal;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteServicePrincipalAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default) =>
        Data(tenantId).ServicePrincipals.TryRemove(objectId, out _)
            ? ValueTask.CompletedTask
            : throw new DirectoryObjectNotFoundException($"Service principal {objectId} does not exist.");

    private static void EnsureUniqueUser(TenantData data, DirectoryUser user)
    {
        foreach (var other in data.Users.Values)
        {
            if (other.ObjectId == user.ObjectId)
            {
                continue;
            }

            if (string.Equals(other.UserPrincipalName, user.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
            {
                throw new DirectoryConflictException("userPrincipalName", $"{user.UserPrincipalName} is already in use.");
            }

            if (user.OnPremises is { } mine && string.Equals(other.OnPremises?.SamAccountName, mine.SamAccountName, StringComparison.OrdinalIgnoreCase))
            {
                throw new DirectoryConflictException("onPremisesSamAccountName", $"{mine.SamAccountName} is already in use.");
            }

            // Two accounts with one on-premises SID would each be the other in every PAC.
            if (user.OnPremises is { } withSid && other.OnPremises?.SecurityIdentifier == withSid.SecurityIdentifier)
            {
                throw new DirectoryConflictException("onPremisesSecurityIdentifier", $"{withSid.SecurityIdentifier} is already another user's SID.");
            }
        }
    }

    private static void EnsureUniqueSpns(TenantData data, ServicePrincipal servicePrincipal)
    {
        foreach (var other in data.ServicePrincipals.Values)
        {
            if (other.ObjectId == servicePrincipal.ObjectId)
            {
                continue;
            }

            var clash = other.ServicePrincipalNames.Intersect(servicePrincipal.ServicePrincipalNames, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            if (clash is not null)
            {
                throw new DirectoryConflictException("servicePrincipalNames", $"{clash} is already registered.");
            }
        }
    }

    private TenantData Data(Guid tenantId) =>
        tenants.TryGetValue(tenantId, out var data) ? data : throw new DirectoryObjectNotFoundException($"Tenant {tenantId} does not exist.");

    private sealed class TenantData(Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys)
    {
        public Lock Lock { get; } = new();

        public Tenant Tenant { get; set; } = tenant;

        public IReadOnlyList<StoredKey> KrbtgtKeys { get; set; } = krbtgtKeys;

        public ConcurrentDictionary<string, IReadOnlyList<StoredKey>> InboundTrusts { get; } = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentDictionary<Guid, DirectoryUser> Users { get; } = new();

        public ConcurrentDictionary<Guid, DirectoryGroup> Groups { get; } = new();

        public ConcurrentDictionary<Guid, ServicePrincipal> ServicePrincipals { get; } = new();
    }
}
