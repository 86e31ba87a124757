using System.Security.Cryptography;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;
using Microsoft.Data.Sqlite;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// The directory in one SQLite file (<c>directory.db</c>) in the data directory: WAL, synchronous=FULL
/// (a write is on disk when the call returns), unique indexes for UPN, SAM name and SPN, and every key
/// encrypted with <see cref="KeyProtector"/>. Same semantics as <see cref="InMemoryDirectoryStore"/>.
/// </summary>
public sealed partial class SqliteDirectoryStore : IDirectoryAdminStore, IAsyncDisposable
{
    public const string FileName = "directory.db";

    private const string UserColumns = "id, upn, display_name, account_enabled, sam, sid, domain_name, primary_group_rid";
    private const string KeyColumns = "kvno, etype, salt, expires_on, key_blob";
    private const string TenantColumns = "id, display_name, onprem_dns_name, onprem_netbios, onprem_sid, policy_json";
    private const string SpColumns = "id, display_name, account_enabled";
    private const string KeyCheckName = "key_check";

    private static readonly JsonSerializerOptions PolicyJson = new(JsonSerializerDefaults.Web);

    private readonly SqliteDatabase database;
    private readonly KeyProtector protector;

    private SqliteDirectoryStore(SqliteDatabase database, KeyProtector protector)
    {
        this.database = database;
        this.protector = protector;
    }

    /// <summary>
    /// Opens <c>directory.db</c> in <paramref name="dataDirectory"/> (created, with <c>store.key</c>, when
    /// missing), applies pending migrations and checks that <c>store.key</c> is the key the database was
    /// made with. Throws <see cref="StorageException"/> when it is missing or wrong, or the schema is newer.
    /// </summary>
    public static async Task<SqliteDirectoryStore> OpenAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        StorageFiles.EnsureDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        var databaseExists = File.Exists(path) && new FileInfo(path).Length > 0;
        var protector = await KeyProtector.LoadOrCreateAsync(Path.Combine(dataDirectory, KeyProtector.FileName), allowCreate: !databaseExists, cancellationToken).ConfigureAwait(false);
        SqliteDatabase? database = null;
        try
        {
            database = await SqliteDatabase.OpenAsync(path, "FULL", TimeSpan.FromSeconds(30), DirectorySchema.Migrations, configure: null, cancellationToken).ConfigureAwait(false);
            await CheckMasterKeyAsync(database, protector, cancellationToken).ConfigureAwait(false);
            return new SqliteDirectoryStore(database, protector);
        }
        catch
        {
            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }

            protector.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync().ConfigureAwait(false);
        protector.Dispose();
    }

    // ---- Tenants -------------------------------------------------------------------------------

    public async ValueTask<Tenant?> FindTenantAsync(string idOrDomain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrDomain);
        string idExpression;
        object key;
        if (Guid.TryParse(idOrDomain, out var id))
        {
            idExpression = "$key";
            key = id;
        }
        else
        {
            idExpression = "(SELECT tenant_id FROM tenant_domains WHERE domain_lower = $key LIMIT 1)";
            key = idOrDomain.ToLowerInvariant();
        }

        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = read.Command(
            $"SELECT {TenantColumns} FROM tenants WHERE id = {idExpression}; SELECT domain, tenant_id FROM tenant_domains WHERE tenant_id = {idExpression} ORDER BY ordinal;");
        command.Parameters.Bind("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadTenantsAsync(reader, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async ValueTask<Tenant?> GetDefaultTenantAsync(CancellationToken cancellationToken = default)
    {
        const string Default = "(SELECT id FROM tenants WHERE is_default = 1)";
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = read.Command(
            $"SELECT {TenantColumns} FROM tenants WHERE id = {Default}; SELECT domain, tenant_id FROM tenant_domains WHERE tenant_id = {Default} ORDER BY ordinal;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadTenantsAsync(reader, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    public async ValueTask<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = read.Command(
            $"SELECT {TenantColumns} FROM tenants; SELECT domain, tenant_id FROM tenant_domains ORDER BY tenant_id, ordinal;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tenants = await ReadTenantsAsync(reader, cancellationToken).ConfigureAwait(false);
        tenants.Sort((a, b) => string.CompareOrdinal(a.DisplayName, b.DisplayName));
        return tenants;
    }

    public async ValueTask<IReadOnlyList<StoredKey>> GetKrbtgtKeysAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var lease = await database.RentAsync(cancellationToken).ConfigureAwait(false);
        await using var command = lease.Command($"SELECT {KeyColumns} FROM krbtgt_keys WHERE tenant_id = $t ORDER BY ordinal;");
        command.Parameters.Bind("$t", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<StoredKey>(2);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader, 0, KeyPurpose.Krbtgt, tenantId, tenantId, spn: null));
        }

        return keys;
    }

    public async ValueTask<IReadOnlyList<StoredKey>> GetInboundTrustKeysAsync(Guid tenantId, string realm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(realm);
        var upper = realm.ToUpperInvariant();
        await using var lease = await database.RentAsync(cancellationToken).ConfigureAwait(false);
        await using var command = lease.Command($"SELECT {KeyColumns} FROM trust_keys WHERE tenant_id = $t AND realm_upper = $r ORDER BY ordinal;");
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$r", upper);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<StoredKey>(2);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader, 0, KeyPurpose.InboundTrust, tenantId, tenantId, upper));
        }

        return keys;
    }

    public async ValueTask<IReadOnlyList<string>> ListInboundTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var lease = await database.RentAsync(cancellationToken).ConfigureAwait(false);
        await using var command = lease.Command("SELECT DISTINCT realm_upper FROM trust_keys WHERE tenant_id = $t ORDER BY realm_upper;");
        command.Parameters.Bind("$t", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var realms = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            realms.Add(reader.GetString(0));
        }

        return realms;
    }

    public async ValueTask SetInboundTrustKeysAsync(Guid tenantId, string realm, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        ArgumentNullException.ThrowIfNull(keys);
        var upper = realm.ToUpperInvariant();
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var delete = write.Command("DELETE FROM trust_keys WHERE tenant_id = $t AND realm_upper = $r;"))
        {
            delete.Parameters.Bind("$t", tenantId);
            delete.Parameters.Bind("$r", upper);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await InsertKeysAsync(write, KeyPurpose.InboundTrust, tenantId, tenantId, upper, keys, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AddTenantAsync(Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys, bool isDefault = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(krbtgtKeys);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        if (await TenantExistsAsync(write, tenant.Id, cancellationToken).ConfigureAwait(false))
        {
            throw new DirectoryConflictException("id", $"Tenant {tenant.Id} already exists.");
        }

        var makeDefault = isDefault || await write.ScalarAsync("SELECT 1 FROM tenants WHERE is_default = 1;", cancellationToken).ConfigureAwait(false) is null;
        if (makeDefault)
        {
            await write.ExecuteAsync("UPDATE tenants SET is_default = 0 WHERE is_default = 1;", cancellationToken).ConfigureAwait(false);
        }

        await using (var command = write.Command(
            "INSERT INTO tenants (id, display_name, is_default, onprem_dns_name, onprem_netbios, onprem_sid, policy_json) VALUES ($id, $name, $default, $dns, $netbios, $sid, $policy);"))
        {
            BindTenant(command, tenant);
            command.Parameters.Bind("$default", makeDefault ? 1 : 0);
            await ExecuteMappingConflictsAsync(command, $"Tenant {tenant.Id}", cancellationToken).ConfigureAwait(false);
        }

        await InsertDomainsAsync(write, tenant, cancellationToken).ConfigureAwait(false);
        await InsertKeysAsync(write, KeyPurpose.Krbtgt, tenant.Id, tenant.Id, spn: null, krbtgtKeys, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateTenantAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command(
            "UPDATE tenants SET display_name = $name, onprem_dns_name = $dns, onprem_netbios = $netbios, onprem_sid = $sid, policy_json = $policy WHERE id = $id;"))
        {
            BindTenant(command, tenant);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw TenantNotFound(tenant.Id);
            }
        }

        await using (var delete = write.Command("DELETE FROM tenant_domains WHERE tenant_id = $t;"))
        {
            delete.Parameters.Bind("$t", tenant.Id);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await InsertDomainsAsync(write, tenant, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SetKrbtgtKeysAsync(Guid tenantId, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var delete = write.Command("DELETE FROM krbtgt_keys WHERE tenant_id = $t;"))
        {
            delete.Parameters.Bind("$t", tenantId);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await InsertKeysAsync(write, KeyPurpose.Krbtgt, tenantId, tenantId, spn: null, keys, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Users ---------------------------------------------------------------------------------

    public async ValueTask<DirectoryUser?> FindUserAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Two indexed probes (UPN first, then SAM name); the UPN wins if a name is both.
        const string Id = "(SELECT id FROM (SELECT id, 0 AS o FROM users WHERE tenant_id = $t AND upn_lower = $n UNION ALL SELECT id, 1 FROM users WHERE tenant_id = $t AND sam_lower = $n) ORDER BY o LIMIT 1)";
        return await ReadUserAsync(tenantId, Id, "$n", name.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<DirectoryUser?> GetUserAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        await using (var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await RequireTenantAsync(read, tenantId, cancellationToken).ConfigureAwait(false);
        }

        return await ReadUserAsync(tenantId, "$id", "$id", objectId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<DirectoryUser>> ListUsersAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(read, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = read.Command(
            $"SELECT {UserColumns} FROM users WHERE tenant_id = $t; " +
            $"SELECT {KeyColumns}, user_id FROM user_keys WHERE tenant_id = $t ORDER BY user_id, ordinal; " +
            "SELECT group_id, user_id FROM memberships WHERE tenant_id = $t ORDER BY user_id, ordinal;");
        command.Parameters.Bind("$t", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = await ReadUsersAsync(reader, tenantId, cancellationToken).ConfigureAwait(false);
        users.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.UserPrincipalName, b.UserPrincipalName));
        return users;
    }

    public async ValueTask AddUserAsync(Guid tenantId, DirectoryUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var exists = write.Command("SELECT 1 FROM users WHERE tenant_id = $t AND id = $id;"))
        {
            exists.Parameters.Bind("$t", tenantId);
            exists.Parameters.Bind("$id", user.ObjectId);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new DirectoryConflictException("id", $"User {user.ObjectId} already exists.");
            }
        }

        await using (var command = write.Command(
            "INSERT INTO users (tenant_id, id, upn, upn_lower, display_name, account_enabled, sam, sam_lower, sid, domain_name, primary_group_rid) " +
            "VALUES ($t, $id, $upn, $upnLower, $name, $enabled, $sam, $samLower, $sid, $domain, $rid);"))
        {
            BindUser(command, tenantId, user);
            await ExecuteMappingConflictsAsync(command, UserDescription(user), cancellationToken).ConfigureAwait(false);
        }

        await InsertUserChildrenAsync(write, tenantId, user, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateUserAsync(Guid tenantId, DirectoryUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command(
            "UPDATE users SET upn = $upn, upn_lower = $upnLower, display_name = $name, account_enabled = $enabled, sam = $sam, sam_lower = $samLower, " +
            "sid = $sid, domain_name = $domain, primary_group_rid = $rid WHERE tenant_id = $t AND id = $id;"))
        {
            BindUser(command, tenantId, user);
            if (await ExecuteMappingConflictsAsync(command, UserDescription(user), cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DirectoryObjectNotFoundException($"User {user.ObjectId} does not exist.");
            }
        }

        await DeleteOwnedAsync(write, "DELETE FROM user_keys WHERE tenant_id = $t AND user_id = $id; DELETE FROM memberships WHERE tenant_id = $t AND user_id = $id;", tenantId, user.ObjectId, cancellationToken).ConfigureAwait(false);
        await InsertUserChildrenAsync(write, tenantId, user, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteUserAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        if (await DeleteOwnedAsync(write, "DELETE FROM users WHERE tenant_id = $t AND id = $id;", tenantId, objectId, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new DirectoryObjectNotFoundException($"User {objectId} does not exist.");
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Groups --------------------------------------------------------------------------------

    public async ValueTask<DirectoryGroup?> FindGroupAsync(Guid tenantId, Guid groupId, CancellationToken cancellationToken = default)
    {
        await using var lease = await database.RentAsync(cancellationToken).ConfigureAwait(false);
        await using var command = lease.Command("SELECT id, display_name, sid FROM groups WHERE tenant_id = $t AND id = $id;");
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$id", groupId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadGroup(reader) : null;
    }

    public async ValueTask<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(read, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = read.Command("SELECT id, display_name, sid FROM groups WHERE tenant_id = $t;");
        command.Parameters.Bind("$t", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var groups = new List<DirectoryGroup>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add(ReadGroup(reader));
        }

        groups.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.DisplayName, b.DisplayName));
        return groups;
    }

    public async ValueTask AddGroupAsync(Guid tenantId, DirectoryGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command("INSERT INTO groups (tenant_id, id, display_name, sid) VALUES ($t, $id, $name, $sid);"))
        {
            BindGroup(command, tenantId, group);
            await ExecuteMappingConflictsAsync(command, $"Group {group.ObjectId}", cancellationToken).ConfigureAwait(false);
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateGroupAsync(Guid tenantId, DirectoryGroup group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command("UPDATE groups SET display_name = $name, sid = $sid WHERE tenant_id = $t AND id = $id;"))
        {
            BindGroup(command, tenantId, group);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DirectoryObjectNotFoundException($"Group {group.ObjectId} does not exist.");
            }
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteGroupAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        if (await DeleteOwnedAsync(write, "DELETE FROM groups WHERE tenant_id = $t AND id = $id;", tenantId, objectId, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new DirectoryObjectNotFoundException($"Group {objectId} does not exist.");
        }

        await DeleteOwnedAsync(write, "DELETE FROM memberships WHERE tenant_id = $t AND group_id = $id;", tenantId, objectId, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Service principals --------------------------------------------------------------------

    public async ValueTask<ServicePrincipal?> FindServicePrincipalAsync(Guid tenantId, string spn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spn);
        const string Id = "(SELECT sp_id FROM spns WHERE tenant_id = $t AND spn_lower = $n)";
        var found = await ReadServicePrincipalsAsync(tenantId, Id, "$n", spn.ToLowerInvariant(), requireTenant: false, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault();
    }

    public async ValueTask<ServicePrincipal?> GetServicePrincipalAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        var found = await ReadServicePrincipalsAsync(tenantId, "$id", "$id", objectId, requireTenant: true, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault();
    }

    public async ValueTask<IReadOnlyList<ServicePrincipal>> ListServicePrincipalsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var all = await ReadServicePrincipalsAsync(tenantId, idExpression: null, null, null, requireTenant: true, cancellationToken).ConfigureAwait(false);
        all.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.DisplayName, b.DisplayName));
        return all;
    }

    public async ValueTask AddServicePrincipalAsync(Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servicePrincipal);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command("INSERT INTO service_principals (tenant_id, id, display_name, account_enabled) VALUES ($t, $id, $name, $enabled);"))
        {
            BindServicePrincipal(command, tenantId, servicePrincipal);
            await ExecuteMappingConflictsAsync(command, $"Service principal {servicePrincipal.ObjectId}", cancellationToken).ConfigureAwait(false);
        }

        await InsertServicePrincipalChildrenAsync(write, tenantId, servicePrincipal, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateServicePrincipalAsync(Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servicePrincipal);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command("UPDATE service_principals SET display_name = $name, account_enabled = $enabled WHERE tenant_id = $t AND id = $id;"))
        {
            BindServicePrincipal(command, tenantId, servicePrincipal);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DirectoryObjectNotFoundException($"Service principal {servicePrincipal.ObjectId} does not exist.");
            }
        }

        await DeleteOwnedAsync(
            write,
            "DELETE FROM spns WHERE tenant_id = $t AND sp_id = $id; DELETE FROM sp_keys WHERE tenant_id = $t AND sp_id = $id; DELETE FROM sp_tags WHERE tenant_id = $t AND sp_id = $id;",
            tenantId,
            servicePrincipal.ObjectId,
            cancellationToken).ConfigureAwait(false);
        await InsertServicePrincipalChildrenAsync(write, tenantId, servicePrincipal, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteServicePrincipalAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        if (await DeleteOwnedAsync(write, "DELETE FROM service_principals WHERE tenant_id = $t AND id = $id;", tenantId, objectId, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new DirectoryObjectNotFoundException($"Service principal {objectId} does not exist.");
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Master key check ----------------------------------------------------------------------

    private static async Task CheckMasterKeyAsync(SqliteDatabase database, KeyProtector protector, CancellationToken cancellationToken)
    {
        var associatedData = KeyProtector.AssociatedData("key-check", Guid.Empty, Guid.Empty, null, 0, 0);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var select = write.Command("SELECT value FROM store_meta WHERE name = $name;");
        select.Parameters.Bind("$name", KeyCheckName);
        if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] check)
        {
            try
            {
                protector.Unprotect(check, associatedData);
            }
            catch (StorageException e)
            {
                throw new StorageException($"{KeyProtector.FileName} is not the master key {database.Path} was created with; restore the matching {KeyProtector.FileName}.", e);
            }

            return;
        }

        await using var insert = write.Command("INSERT INTO store_meta (name, value) VALUES ($name, $value);");
        insert.Parameters.Bind("$name", KeyCheckName);
        insert.Parameters.Bind("$value", protector.Protect(new byte[16], associatedData));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- Reading -------------------------------------------------------------------------------

    private static async Task<List<Tenant>> ReadTenantsAsync(SqliteDataReader reader, CancellationToken cancellationToken)
    {
        var tenants = new List<Tenant>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            OnPremisesDomain? onPremises = reader.IsDBNull(2)
                ? null
                : new OnPremisesDomain
                {
                    DnsName = reader.GetString(2),
                    NetBiosName = reader.GetString(3),
                    DomainSid = SecurityIdentifier.Parse(reader.GetString(4)),
                };
            tenants.Add(new Tenant
            {
                Id = reader.GetGuid(0),
                DisplayName = reader.GetString(1),
                OnPremisesDomain = onPremises,
                Policy = JsonSerializer.Deserialize<RealmPolicy>(reader.GetString(5), PolicyJson) ?? RealmPolicy.Default,
            });
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var domains = new Dictionary<Guid, List<string>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var tenantId = reader.GetGuid(1);
            if (!domains.TryGetValue(tenantId, out var list))
            {
                domains[tenantId] = list = [];
            }

            list.Add(reader.GetString(0));
        }

        for (var i = 0; i < tenants.Count; i++)
        {
            if (domains.TryGetValue(tenants[i].Id, out var list))
            {
                tenants[i] = tenants[i] with { VerifiedDomains = list };
            }
        }

        return tenants;
    }

    private async Task<DirectoryUser?> ReadUserAsync(Guid tenantId, string idExpression, string parameter, object value, CancellationToken cancellationToken)
    {
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = read.Command(
            $"SELECT {UserColumns} FROM users WHERE tenant_id = $t AND id = {idExpression}; " +
            $"SELECT {KeyColumns}, user_id FROM user_keys WHERE tenant_id = $t AND user_id = {idExpression} ORDER BY ordinal; " +
            $"SELECT group_id, user_id FROM memberships WHERE tenant_id = $t AND user_id = {idExpression} ORDER BY ordinal;");
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind(parameter, value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadUsersAsync(reader, tenantId, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>Reads three result sets: user rows, their keys (user_id last), their memberships (user_id last).</summary>
    private async Task<List<DirectoryUser>> ReadUsersAsync(SqliteDataReader reader, Guid tenantId, CancellationToken cancellationToken)
    {
        var users = new List<DirectoryUser>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            OnPremisesIdentity? onPremises = reader.IsDBNull(4)
                ? null
                : new OnPremisesIdentity
                {
                    SamAccountName = reader.GetString(4),
                    SecurityIdentifier = SecurityIdentifier.Parse(reader.GetString(5)),
                    DomainName = reader.GetString(6),
                    PrimaryGroupRid = (uint)reader.GetInt64(7),
                };
            users.Add(new DirectoryUser
            {
                ObjectId = reader.GetGuid(0),
                UserPrincipalName = reader.GetString(1),
                DisplayName = reader.GetString(2),
                AccountEnabled = reader.GetInt64(3) != 0,
                OnPremises = onPremises,
            });
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<Guid, List<StoredKey>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var userId = reader.GetGuid(5);
            if (!keys.TryGetValue(userId, out var list))
            {
                keys[userId] = list = [];
            }

            list.Add(ReadKey(reader, 0, KeyPurpose.User, tenantId, userId, spn: null));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var groups = new Dictionary<Guid, List<Guid>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var userId = reader.GetGuid(1);
            if (!groups.TryGetValue(userId, out var list))
            {
                groups[userId] = list = [];
            }

            list.Add(reader.GetGuid(0));
        }

        for (var i = 0; i < users.Count; i++)
        {
            var id = users[i].ObjectId;
            users[i] = users[i] with
            {
                Keys = keys.TryGetValue(id, out var k) ? k : [],
                GroupIds = groups.TryGetValue(id, out var g) ? g : [],
            };
        }

        return users;
    }

    private async Task<List<ServicePrincipal>> ReadServicePrincipalsAsync(
        Guid tenantId, string? idExpression, string? parameter, object? value, bool requireTenant, CancellationToken cancellationToken)
    {
        var filter = idExpression is null ? string.Empty : $" AND id = {idExpression}";
        var ownerFilter = idExpression is null ? string.Empty : $" AND sp_id = {idExpression}";
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        if (requireTenant)
        {
            await RequireTenantAsync(read, tenantId, cancellationToken).ConfigureAwait(false);
        }

        await using var command = read.Command(
            $"SELECT {SpColumns} FROM service_principals WHERE tenant_id = $t{filter}; " +
            $"SELECT spn, sp_id FROM spns WHERE tenant_id = $t{ownerFilter} ORDER BY sp_id, ordinal; " +
            $"SELECT {KeyColumns}, sp_id, spn FROM sp_keys WHERE tenant_id = $t{ownerFilter} ORDER BY sp_id, spn, ordinal; " +
            $"SELECT tag, sp_id FROM sp_tags WHERE tenant_id = $t{ownerFilter};");
        command.Parameters.Bind("$t", tenantId);
        if (parameter is not null)
        {
            command.Parameters.Bind(parameter, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var principals = new List<ServicePrincipal>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            principals.Add(new ServicePrincipal
            {
                ObjectId = reader.GetGuid(0),
                DisplayName = reader.GetString(1),
                AccountEnabled = reader.GetInt64(2) != 0,
                ServicePrincipalNames = [],
            });
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var spns = new Dictionary<Guid, List<string>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var owner = reader.GetGuid(1);
            if (!spns.TryGetValue(owner, out var list))
            {
                spns[owner] = list = [];
            }

            list.Add(reader.GetString(0));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<Guid, Dictionary<string, IReadOnlyList<StoredKey>>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var owner = reader.GetGuid(5);
            var spn = reader.GetString(6);
            if (!keys.TryGetValue(owner, out var bySpn))
            {
                keys[owner] = bySpn = new Dictionary<string, IReadOnlyList<StoredKey>>(StringComparer.OrdinalIgnoreCase);
            }

            if (!bySpn.TryGetValue(spn, out var list))
            {
                bySpn[spn] = list = new List<StoredKey>(1);
            }

            ((List<StoredKey>)list).Add(ReadKey(reader, 0, KeyPurpose.ServicePrincipal, tenantId, owner, spn));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var tags = new Dictionary<Guid, HashSet<string>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var owner = reader.GetGuid(1);
            if (!tags.TryGetValue(owner, out var set))
            {
                tags[owner] = set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            set.Add(reader.GetString(0));
        }

        for (var i = 0; i < principals.Count; i++)
        {
            var id = principals[i].ObjectId;
            principals[i] = principals[i] with
            {
                ServicePrincipalNames = spns.TryGetValue(id, out var s) ? s : [],
                KeysBySpn = keys.TryGetValue(id, out var k) ? k : new Dictionary<string, IReadOnlyList<StoredKey>>(StringComparer.OrdinalIgnoreCase),
                Tags = tags.TryGetValue(id, out var t) ? t : new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            };
        }

        return principals;
    }

    private static DirectoryGroup ReadGroup(SqliteDataReader reader) => new()
    {
        ObjectId = reader.GetGuid(0),
        DisplayName = reader.GetString(1),
        OnPremisesSecurityIdentifier = reader.IsDBNull(2) ? null : SecurityIdentifier.Parse(reader.GetString(2)),
    };

    /// <summary>Reads kvno, etype, salt, expires_on, key_blob starting at <paramref name="at"/> and decrypts the key.</summary>
    private StoredKey ReadKey(SqliteDataReader reader, int at, string purpose, Guid tenantId, Guid ownerId, string? spn)
    {
        var kvno = (uint)reader.GetInt64(at);
        var etype = (int)reader.GetInt64(at + 1);
        var blob = (byte[])reader.GetValue(at + 4);
        var plaintext = protector.Unprotect(blob, KeyProtector.AssociatedData(purpose, tenantId, ownerId, spn, kvno, etype));
        try
        {
            return new StoredKey
            {
                Key = new KerberosKey((EncryptionType)etype, plaintext),
                Kvno = kvno,
                Salt = reader.IsDBNull(at + 2) ? null : reader.GetString(at + 2),
                ExpiresOn = reader.IsDBNull(at + 3) ? null : new DateTimeOffset(reader.GetInt64(at + 3), TimeSpan.Zero),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // ---- Writing -------------------------------------------------------------------------------

    private static async Task<bool> TenantExistsAsync(SqliteDatabase.TransactionLease lease, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = lease.Command("SELECT 1 FROM tenants WHERE id = $t;");
        command.Parameters.Bind("$t", tenantId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task RequireTenantAsync(SqliteDatabase.TransactionLease lease, Guid tenantId, CancellationToken cancellationToken)
    {
        if (!await TenantExistsAsync(lease, tenantId, cancellationToken).ConfigureAwait(false))
        {
            throw TenantNotFound(tenantId);
        }
    }

    private static DirectoryObjectNotFoundException TenantNotFound(Guid tenantId) => new($"Tenant {tenantId} does not exist.");

    private static async Task<int> DeleteOwnedAsync(SqliteDatabase.TransactionLease write, string sql, Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = write.Command(sql);
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a write; a UNIQUE or PRIMARY KEY violation becomes a conflict naming the field whose index it hit.</summary>
    private static async Task<int> ExecuteMappingConflictsAsync(SqliteCommand command, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (ConflictField(e) is { } field)
        {
            throw new DirectoryConflictException(field, $"{what}: {FieldDescription(field)} is already in use.");
        }
    }

    private static string? ConflictField(SqliteException e)
    {
        const int Unique = 2067;
        const int PrimaryKey = 1555;
        if (e.SqliteExtendedErrorCode is not (Unique or PrimaryKey))
        {
            return null;
        }

        // SQLite names the violated columns: "UNIQUE constraint failed: users.tenant_id, users.upn_lower".
        var message = e.Message;
        return message.Contains(".upn_lower", StringComparison.Ordinal) ? "userPrincipalName"
            : message.Contains(".sam_lower", StringComparison.Ordinal) ? "onPremisesSamAccountName"
            : message.Contains(".spn_lower", StringComparison.Ordinal) ? "servicePrincipalNames"
            : message.Contains("users.sid", StringComparison.Ordinal) ? "onPremisesSecurityIdentifier"
            : message.Contains(".domain_lower", StringComparison.Ordinal) ? "verifiedDomains"
            : "id";
    }

    private static string FieldDescription(string field) => field switch
    {
        "userPrincipalName" => "the user principal name",
        "onPremisesSamAccountName" => "the SAM account name",
        "servicePrincipalNames" => "an SPN",
        "onPremisesSecurityIdentifier" => "the on-premises SID",
        "verifiedDomains" => "a verified domain",
        _ => "the id",
    };

    private static string UserDescription(DirectoryUser user) => $"User {user.UserPrincipalName} ({user.ObjectId})";

    private static void BindTenant(SqliteCommand command, Tenant tenant)
    {
        command.Parameters.Bind("$id", tenant.Id);
        command.Parameters.Bind("$name", tenant.DisplayName);
        command.Parameters.Bind("$dns", (object?)tenant.OnPremisesDomain?.DnsName ?? DBNull.Value);
        command.Parameters.Bind("$netbios", (object?)tenant.OnPremisesDomain?.NetBiosName ?? DBNull.Value);
        command.Parameters.Bind("$sid", (object?)tenant.OnPremisesDomain?.DomainSid.ToString() ?? DBNull.Value);
        command.Parameters.Bind("$policy", JsonSerializer.Serialize(tenant.Policy, PolicyJson));
    }

    private static void BindUser(SqliteCommand command, Guid tenantId, DirectoryUser user)
    {
        var onPremises = user.OnPremises;
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$id", user.ObjectId);
        command.Parameters.Bind("$upn", user.UserPrincipalName);
        command.Parameters.Bind("$upnLower", user.UserPrincipalName.ToLowerInvariant());
        command.Parameters.Bind("$name", user.DisplayName);
        command.Parameters.Bind("$enabled", user.AccountEnabled ? 1 : 0);
        command.Parameters.Bind("$sam", (object?)onPremises?.SamAccountName ?? DBNull.Value);
        command.Parameters.Bind("$samLower", (object?)onPremises?.SamAccountName.ToLowerInvariant() ?? DBNull.Value);
        command.Parameters.Bind("$sid", (object?)onPremises?.SecurityIdentifier.ToString() ?? DBNull.Value);
        command.Parameters.Bind("$domain", (object?)onPremises?.DomainName ?? DBNull.Value);
        command.Parameters.Bind("$rid", onPremises is null ? DBNull.Value : (long)onPremises.PrimaryGroupRid);
    }

    private static void BindGroup(SqliteCommand command, Guid tenantId, DirectoryGroup group)
    {
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$id", group.ObjectId);
        command.Parameters.Bind("$name", group.DisplayName);
        command.Parameters.Bind("$sid", (object?)group.OnPremisesSecurityIdentifier?.ToString() ?? DBNull.Value);
    }

    private static void BindServicePrincipal(SqliteCommand command, Guid tenantId, ServicePrincipal servicePrincipal)
    {
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$id", servicePrincipal.ObjectId);
        command.Parameters.Bind("$name", servicePrincipal.DisplayName);
        command.Parameters.Bind("$enabled", servicePrincipal.AccountEnabled ? 1 : 0);
    }

    private static async Task InsertDomainsAsync(SqliteDatabase.TransactionLease write, Tenant tenant, CancellationToken cancellationToken)
    {
        if (tenant.VerifiedDomains.Count == 0)
        {
            return;
        }

        await using var command = write.Command("INSERT INTO tenant_domains (tenant_id, ordinal, domain, domain_lower) VALUES ($t, $o, $d, $l);");
        command.Parameters.Bind("$t", tenant.Id);
        var ordinal = command.Parameters.Add("$o", SqliteType.Integer);
        var domain = command.Parameters.Add("$d", SqliteType.Text);
        var lower = command.Parameters.Add("$l", SqliteType.Text);
        for (var i = 0; i < tenant.VerifiedDomains.Count; i++)
        {
            ordinal.Value = i;
            domain.Value = tenant.VerifiedDomains[i];
            lower.Value = tenant.VerifiedDomains[i].ToLowerInvariant();
            await ExecuteMappingConflictsAsync(command, $"Tenant {tenant.Id}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InsertUserChildrenAsync(SqliteDatabase.TransactionLease write, Guid tenantId, DirectoryUser user, CancellationToken cancellationToken)
    {
        await InsertKeysAsync(write, KeyPurpose.User, tenantId, user.ObjectId, spn: null, user.Keys, cancellationToken).ConfigureAwait(false);
        if (user.GroupIds.Count == 0)
        {
            return;
        }

        await using var command = write.Command("INSERT INTO memberships (tenant_id, user_id, ordinal, group_id) VALUES ($t, $u, $o, $g);");
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$u", user.ObjectId);
        var ordinal = command.Parameters.Add("$o", SqliteType.Integer);
        var group = command.Parameters.Add("$g", SqliteType.Blob);
        for (var i = 0; i < user.GroupIds.Count; i++)
        {
            ordinal.Value = i;
            group.Value = user.GroupIds[i].ToByteArray();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InsertServicePrincipalChildrenAsync(SqliteDatabase.TransactionLease write, Guid tenantId, ServicePrincipal servicePrincipal, CancellationToken cancellationToken)
    {
        await using (var command = write.Command("INSERT INTO spns (tenant_id, spn_lower, sp_id, ordinal, spn) VALUES ($t, $l, $id, $o, $s);"))
        {
            command.Parameters.Bind("$t", tenantId);
            command.Parameters.Bind("$id", servicePrincipal.ObjectId);
            var lower = command.Parameters.Add("$l", SqliteType.Text);
            var ordinal = command.Parameters.Add("$o", SqliteType.Integer);
            var spn = command.Parameters.Add("$s", SqliteType.Text);
            for (var i = 0; i < servicePrincipal.ServicePrincipalNames.Count; i++)
            {
                var name = servicePrincipal.ServicePrincipalNames[i];
                lower.Value = name.ToLowerInvariant();
                ordinal.Value = i;
                spn.Value = name;
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException e) when (ConflictField(e) is not null)
                {
                    throw new DirectoryConflictException("servicePrincipalNames", $"{name} is already registered.");
                }
            }
        }

        foreach (var (spn, keys) in servicePrincipal.KeysBySpn)
        {
            await InsertKeysAsync(write, KeyPurpose.ServicePrincipal, tenantId, servicePrincipal.ObjectId, spn, keys, cancellationToken).ConfigureAwait(false);
        }

        if (servicePrincipal.Tags.Count > 0)
        {
            await using var command = write.Command("INSERT OR IGNORE INTO sp_tags (tenant_id, sp_id, tag) VALUES ($t, $id, $tag);");
            command.Parameters.Bind("$t", tenantId);
            command.Parameters.Bind("$id", servicePrincipal.ObjectId);
            var tag = command.Parameters.Add("$tag", SqliteType.Text);
            foreach (var value in servicePrincipal.Tags)
            {
                tag.Value = value;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task InsertKeysAsync(
        SqliteDatabase.TransactionLease write, string purpose, Guid tenantId, Guid ownerId, string? spn, IReadOnlyList<StoredKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var sql = purpose switch
        {
            KeyPurpose.Krbtgt => "INSERT INTO krbtgt_keys (tenant_id, ordinal, kvno, etype, salt, expires_on, key_blob) VALUES ($t, $o, $kvno, $etype, $salt, $exp, $blob);",
            KeyPurpose.InboundTrust => "INSERT INTO trust_keys (tenant_id, realm_upper, ordinal, kvno, etype, salt, expires_on, key_blob) VALUES ($t, $spn, $o, $kvno, $etype, $salt, $exp, $blob);",
            KeyPurpose.CloudTrust => "INSERT INTO cloud_trust_keys (tenant_id, dns_lower, ordinal, kvno, etype, salt, expires_on, key_blob) VALUES ($t, $spn, $o, $kvno, $etype, $salt, $exp, $blob);",
            KeyPurpose.User => "INSERT INTO user_keys (tenant_id, user_id, ordinal, kvno, etype, salt, expires_on, key_blob) VALUES ($t, $owner, $o, $kvno, $etype, $salt, $exp, $blob);",
            _ => "INSERT INTO sp_keys (tenant_id, sp_id, spn, ordinal, kvno, etype, salt, expires_on, key_blob) VALUES ($t, $owner, $spn, $o, $kvno, $etype, $salt, $exp, $blob);",
        };
        await using var command = write.Command(sql);
        command.Parameters.Bind("$t", tenantId);
        if (purpose is not KeyPurpose.Krbtgt and not KeyPurpose.InboundTrust and not KeyPurpose.CloudTrust)
        {
            command.Parameters.Bind("$owner", ownerId);
        }

        if (purpose is KeyPurpose.ServicePrincipal or KeyPurpose.InboundTrust or KeyPurpose.CloudTrust)
        {
            command.Parameters.Bind("$spn", spn);
        }

        var ordinal = command.Parameters.Add("$o", SqliteType.Integer);
        var kvno = command.Parameters.Add("$kvno", SqliteType.Integer);
        var etype = command.Parameters.Add("$etype", SqliteType.Integer);
        var salt = command.Parameters.Add("$salt", SqliteType.Text);
        var expires = command.Parameters.Add("$exp", SqliteType.Integer);
        var blob = command.Parameters.Add("$blob", SqliteType.Blob);
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            ordinal.Value = i;
            kvno.Value = (long)key.Kvno;
            etype.Value = (int)key.EncryptionType;
            salt.Value = (object?)key.Salt ?? DBNull.Value;
            expires.Value = key.ExpiresOn is { } expiresOn ? expiresOn.UtcTicks : DBNull.Value;
            blob.Value = protector.Protect(key.Key.Value, KeyProtector.AssociatedData(purpose, tenantId, ownerId, spn, key.Kvno, (int)key.EncryptionType));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Purposes bound into each key's associated data, so a krbtgt key cannot pose as a user's.</summary>
    private static class KeyPurpose
    {
        public const string Krbtgt = "krbtgt";
        public const string User = "user";
        public const string ServicePrincipal = "service";
        public const string InboundTrust = "trust";
        /// <summary>Bound into each key's associated data, so a krbtgt_AzureAD key cannot pose as any other key.</summary>
        public const string CloudTrust = "cloudtrust";
    }
}
