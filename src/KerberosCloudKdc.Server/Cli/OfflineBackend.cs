using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Server.Admin;
using KerberosCloudKdc.Server.Hosting;
using KerberosCloudKdc.Server.Tls;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>
/// Works directly on a data directory's SQLite store (safe while a server uses it: SQLite serialises writers and the
/// server reads the store on every request). Every write goes through <see cref="DirectoryAdministration"/>, so the
/// rules are the admin API's.
/// </summary>
internal sealed partial class OfflineBackend : IAdminBackend
{
    private readonly SqliteStorage storage;
    private readonly string? tenantName;
    private readonly Uri origin;
    private readonly TimeProvider clock;
    private readonly IKerberosRandom random;
    private Tenant? tenant;

    private OfflineBackend(SqliteStorage storage, string dataDirectory, string? tenantName, Uri origin, TimeProvider clock, IKerberosRandom random)
    {
        this.storage = storage;
        DataDirectory = dataDirectory;
        this.tenantName = tenantName;
        this.origin = origin;
        this.clock = clock;
        this.random = random;
    }

    public string DataDirectory { get; }

    public string Target => DataDirectory;

    private SqliteDirectoryStore Store => storage.Directory;

    public static async Task<OfflineBackend> OpenAsync(string dataDirectory, string? tenantName, Uri origin, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(dataDirectory);
        new DataDirectory(root).EnsureRoot();
        SqliteStorage storage;
        try
        {
            storage = await SqliteStorage.OpenAsync(root, DirectoryStorage.RetentionFrom(new CloudKdcOptions()), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw new CliException($"cannot open the store in {root}: {e.Message}");
        }

        return new OfflineBackend(storage, root, tenantName, origin, TimeProvider.System, SystemKerberosRandom.Instance);
    }

    public ValueTask DisposeAsync() => storage.DisposeAsync();

    private async Task<Tenant> TenantAsync(CancellationToken cancellationToken)
    {
        if (tenant is not null)
        {
            return tenant;
        }

        tenant = tenantName is null
            ? await Store.GetDefaultTenantAsync(cancellationToken).ConfigureAwait(false)
            : await Store.FindTenantAsync(tenantName, cancellationToken).ConfigureAwait(false);
        return tenant ?? throw new CliException(tenantName is null
            ? $"{DataDirectory} has no tenant yet: start the server once (it seeds the demo tenant) or run 'cloudkdc tenant add'"
            : $"tenant: '{DirectoryAdministration.Truncate(tenantName)}' is not a tenant in {DataDirectory}");
    }

    private static BodyReader Reader(JsonObject body, IEnumerable<string> fields, IEnumerable<string>? readOnly = null) =>
        new(JsonSerializer.SerializeToElement(body), fields, readOnly);

    /// <summary>Runs a write, reporting the store's conflicts and the administration's refusals as the API words them.</summary>
    private static async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (DirectoryConflictException e)
        {
            throw new CliException($"{e.Field}: {e.Message}");
        }
        catch (DirectoryObjectNotFoundException e)
        {
            throw new CliException(e.Message);
        }
        catch (AdminException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static T Valid<T>(T? value, string? invalid)
        where T : class =>
        invalid is null ? value! : throw new CliException(invalid);

    public async Task<IReadOnlyList<JsonObject>> ListTenantsAsync(CancellationToken cancellationToken) =>
        await DirectoryAdministration.ListTenantsAsync(Store, cancellationToken).ConfigureAwait(false);

    public Task<JsonObject> AddTenantAsync(JsonObject body, CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        var (json, invalid) = await DirectoryAdministration.AddTenantAsync(Store, random, Reader(body, DirectoryAdministration.TenantFields), cancellationToken).ConfigureAwait(false);
        return Valid(json, invalid);
    });

    public async Task<IReadOnlyList<JsonObject>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var users = await Store.ListUsersAsync(current.Id, cancellationToken).ConfigureAwait(false);
        return [.. users.Select(DirectoryAdministration.UserJson)];
    }

    public async Task<JsonObject> AddUserAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var user = Valid(DirectoryAdministration.ApplyUser(
            current, Reader(body, DirectoryAdministration.UserFields, DirectoryAdministration.ReadOnlyFields), existing: null, out var invalid), invalid);
        return await WriteAsync(async () =>
        {
            await Store.AddUserAsync(current.Id, user, cancellationToken).ConfigureAwait(false);
            return DirectoryAdministration.UserJson(user);
        }).ConfigureAwait(false);
    }

    private async Task<DirectoryUser> FindUserAsync(Tenant current, string name, CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(name, out var id)
            ? await Store.GetUserAsync(current.Id, id, cancellationToken).ConfigureAwait(false)
            : await Store.FindUserAsync(current.Id, name, cancellationToken).ConfigureAwait(false);
        return user ?? throw new CliException($"user: no user '{DirectoryAdministration.Truncate(name)}' in tenant {current.Id:D}");
    }

    public async Task<JsonObject> UpdateUserAsync(string user, JsonObject patch, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var existing = await FindUserAsync(current, user, cancellationToken).ConfigureAwait(false);
        var updated = Valid(DirectoryAdministration.ApplyUser(
            current, Reader(patch, DirectoryAdministration.UserFields, DirectoryAdministration.ReadOnlyFields), existing, out var invalid), invalid);
        return await WriteAsync(async () =>
        {
            await Store.UpdateUserAsync(current.Id, updated, cancellationToken).ConfigureAwait(false);
            return DirectoryAdministration.UserJson(updated);
        }).ConfigureAwait(false);
    }

    public async Task<JsonObject> AddGroupAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var group = Valid(DirectoryAdministration.ApplyGroup(
            Reader(body, DirectoryAdministration.GroupFields, DirectoryAdministration.ReadOnlyFields), existing: null, out var invalid), invalid);
        return await WriteAsync(async () =>
        {
            await Store.AddGroupAsync(current.Id, group, cancellationToken).ConfigureAwait(false);
            return DirectoryAdministration.GroupJson(group);
        }).ConfigureAwait(false);
    }

    public async Task AddMemberAsync(string group, string user, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var groups = await Store.ListGroupsAsync(current.Id, cancellationToken).ConfigureAwait(false);
        var found = CliLookup.Single(
            groups.Select(g => (g, DirectoryAdministration.GroupJson(g))).ToList(), group, "group", current.Id.ToString("D"));
        var member = await FindUserAsync(current, user, cancellationToken).ConfigureAwait(false);
        await WriteAsync(async () =>
        {
            await Store.UpdateUserAsync(current.Id, DirectoryAdministration.WithGroup(member, found), cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public async Task<JsonObject> AddServicePrincipalAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var sp = Valid(DirectoryAdministration.ApplyServicePrincipal(
            Reader(body, DirectoryAdministration.ServicePrincipalFields, DirectoryAdministration.ReadOnlyFields), existing: null, out var invalid), invalid);
        return await WriteAsync(async () =>
        {
            await Store.AddServicePrincipalAsync(current.Id, sp, cancellationToken).ConfigureAwait(false);
            return DirectoryAdministration.ServicePrincipalJson(sp);
        }).ConfigureAwait(false);
    }

    public async Task<JsonObject> AddPasswordAsync(string servicePrincipalId, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var sp = Guid.TryParse(servicePrincipalId, out var id) ? await Store.GetServicePrincipalAsync(current.Id, id, cancellationToken).ConfigureAwait(false) : null;
        if (sp is null)
        {
            throw new CliException($"id: no service principal '{DirectoryAdministration.Truncate(servicePrincipalId)}' in this tenant");
        }

        var now = clock.GetUtcNow();
        return await WriteAsync(() => DirectoryAdministration.AddPasswordAsync(
            Store, current, sp, displayName: null, StorageAccounts.DefaultExpiry(now), now, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<JsonObject> AddStorageAccountAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(async () =>
        {
            var (_, json, invalid) = await DirectoryAdministration.AddStorageAccountAsync(
                Store, current, Reader(body, DirectoryAdministration.StorageAccountFields), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return Valid(json, invalid);
        }).ConfigureAwait(false);
    }

    public async Task<byte[]> ExportKeytabAsync(string spn, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var sp = await Store.FindServicePrincipalAsync(current.Id, spn, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException($"spn: no service principal owns '{DirectoryAdministration.Truncate(spn)}' in tenant {current.Id:D}");
        var registered = sp.ServicePrincipalNames.First(n => string.Equals(n, spn, StringComparison.OrdinalIgnoreCase));
        return await WriteAsync(() => Task.FromResult(DirectoryAdministration.BuildKeytab(sp, registered, clock.GetUtcNow()))).ConfigureAwait(false);
    }

    public async Task<JsonObject> RotateKrbtgtAsync(CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(() => DirectoryAdministration.RotateKrbtgtAsync(Store, current, random, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<string> Krb5ConfAsync(CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var ca = Path.Combine(DataDirectory, "tls", LabCertificateAuthority.CaCertificateFile);
        return ClientConfig.Krb5Conf(ClientConfig.KdcUrl(origin.GetLeftPart(UriPartial.Authority), current.Id), File.Exists(ca) ? ca : null);
    }

    public async Task<JsonObject> GpoAsync(CancellationToken cancellationToken) =>
        DirectoryAdministration.GpoJson(origin, (await TenantAsync(cancellationToken).ConfigureAwait(false)).Id);

    public async Task<string> GpoRegAsync(CancellationToken cancellationToken) =>
        ClientConfig.RegFile(origin, (await TenantAsync(cancellationToken).ConfigureAwait(false)).Id);

    public async Task<IReadOnlyList<JsonObject>> SignInsAsync(SignInFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var page = await storage.SignInLog.QueryAsync(new SignInQuery
        {
            TenantId = current.Id,
            Client = filter.User,
            Service = filter.Service,
            Succeeded = filter.FailedOnly ? false : null,
            Top = filter.Top,
        }, cancellationToken).ConfigureAwait(false);
        return [.. page.Items.Select(DirectoryAdministration.SignInJson)];
    }
}
