using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using KerberosCloudKdc.Server.Hosting;
using KerberosCloudKdc.Server.Tls;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// The admin API under /{tenant}/v1.0: Graph-shaped users, groups, service principals and sign-in log, plus
/// emulator-only endpoints under /{tenant}/v1.0/emulator. Every call needs the admin bearer key. Writes are
/// validated completely before anything is stored; read-modify-write sequences run one at a time.
/// </summary>
internal static class AdminEndpoints
{
    private const string TenantItem = "cloudkdc.admin.tenant";
    private static readonly SemaphoreSlim WriteGate = new(1, 1);
    private static readonly string[] UserFields =
    [
        "userPrincipalName", "displayName", "accountEnabled", "passwordProfile", "onPremisesSyncEnabled",
        "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesDomainName",
    ];

    private static readonly string[] GroupFields = ["displayName", "onPremisesSecurityIdentifier"];
    private static readonly string[] ServicePrincipalFields = ["displayName", "servicePrincipalNames", "tags", "accountEnabled"];
    private static readonly string[] ReadOnlyFields = ["id", "securityIdentifier"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/{tenant}/v1.0").AddEndpointFilter(AuthorizeAsync);

        api.MapPost("/users", (Func<HttpContext, Task<IResult>>)CreateUserAsync);
        api.MapGet("/users", (Func<HttpContext, Task<IResult>>)ListUsersAsync);
        api.MapGet("/users/{id}", GetUserAsync);
        api.MapPatch("/users/{id}", UpdateUserAsync);
        api.MapDelete("/users/{id}", DeleteUserAsync);
        api.MapGet("/users/{id}/memberOf", MemberOfAsync);

        api.MapPost("/groups", (Func<HttpContext, Task<IResult>>)CreateGroupAsync);
        api.MapGet("/groups", (Func<HttpContext, Task<IResult>>)ListGroupsAsync);
        api.MapGet("/groups/{id}", GetGroupAsync);
        api.MapPatch("/groups/{id}", UpdateGroupAsync);
        api.MapDelete("/groups/{id}", DeleteGroupAsync);
        api.MapGet("/groups/{id}/members", MembersAsync);
        api.MapPost("/groups/{id}/members/$ref", AddMemberAsync);
        api.MapDelete("/groups/{id}/members/{userId}/$ref", RemoveMemberAsync);

        api.MapPost("/servicePrincipals", (Func<HttpContext, Task<IResult>>)CreateServicePrincipalAsync);
        api.MapGet("/servicePrincipals", (Func<HttpContext, Task<IResult>>)ListServicePrincipalsAsync);
        api.MapGet("/servicePrincipals/{id}", GetServicePrincipalAsync);
        api.MapPatch("/servicePrincipals/{id}", UpdateServicePrincipalAsync);
        api.MapDelete("/servicePrincipals/{id}", DeleteServicePrincipalAsync);
        api.MapPost("/servicePrincipals/{id}/addPassword", AddPasswordAsync);
        api.MapGet("/servicePrincipals/{id}/kerberosKeys", KerberosKeysAsync);

        api.MapGet("/auditLogs/signIns", (Func<HttpContext, Task<IResult>>)SignInsAsync);

        api.MapPost("/emulator/storageAccounts", (Func<HttpContext, Task<IResult>>)CreateStorageAccountAsync);
        api.MapGet("/emulator/servicePrincipals/{id}/keytab", KeytabAsync);
        api.MapPost("/emulator/krbtgt/rotate", (Func<HttpContext, Task<IResult>>)RotateKrbtgtAsync);
        api.MapGet("/emulator/krb5.conf", Krb5Conf);
        api.MapGet("/emulator/gpo", Gpo);
        api.MapGet("/emulator/gpo.reg", GpoReg);
    }

    // ---- auth and tenant ----

    private static async ValueTask<object?> AuthorizeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var key = context.RequestServices.GetRequiredService<AdminApiKey>();
        var header = context.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || key.Authenticate(value.AsSpan("Bearer ".Length).Trim()) is not { } scope)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return GraphJson.Unauthorized();
        }

        var segment = context.Request.RouteValues["tenant"] as string ?? string.Empty;
        var tenant = await context.RequestServices.GetRequiredService<TenantResolver>().FindAsync(segment, context.RequestAborted).ConfigureAwait(false);
        if (tenant is null)
        {
            // A tenant-scoped key learns nothing about other tenants, not even whether they exist.
            return scope.AllTenants
                ? GraphJson.NotFound($"tenant: '{Truncate(segment)}' is not a tenant of this server")
                : GraphJson.Forbidden();
        }

        if (!scope.Allows(tenant.Id))
        {
            return GraphJson.Forbidden();
        }

        context.Items[TenantItem] = tenant;
        context.Response.Headers.CacheControl = "no-store";
        return await next(invocation).ConfigureAwait(false);
    }

    private static Tenant TenantOf(HttpContext context) => (Tenant)context.Items[TenantItem]!;

    private static IDirectoryAdminStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IDirectoryAdminStore>();

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;

    /// <summary>Runs a write under the gate, turning store conflicts into 409 and vanished objects into 404.</summary>
    private static async Task<IResult> WriteAsync(HttpContext context, Func<Task<IResult>> write)
    {
        await WriteGate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (DirectoryConflictException e)
        {
            return GraphJson.Conflict(e.Field, e.Message);
        }
        catch (DirectoryObjectNotFoundException e)
        {
            return GraphJson.NotFound(e.Message);
        }
        finally
        {
            WriteGate.Release();
        }
    }

    private static bool TryId(string text, out Guid id) => Guid.TryParse(text, out id);

    // ---- users ----

    private static JsonObject UserJson(DirectoryUser user) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = user.ObjectId.ToString("D"),
        ["userPrincipalName"] = user.UserPrincipalName,
        ["displayName"] = user.DisplayName,
        ["accountEnabled"] = user.AccountEnabled,
        ["onPremisesSyncEnabled"] = user.OnPremises is null ? null : true,
        ["onPremisesSamAccountName"] = user.OnPremises?.SamAccountName,
        ["onPremisesSecurityIdentifier"] = user.OnPremises?.SecurityIdentifier.ToString(),
        ["onPremisesDomainName"] = user.OnPremises?.DomainName,
    };

    private static async Task<IResult> CreateUserAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var tenant = TenantOf(context);
        var user = ApplyUser(tenant, new BodyReader(body!.Value, UserFields, ReadOnlyFields), existing: null, out var invalid);
        if (invalid is not null)
        {
            return invalid;
        }

        return await WriteAsync(context, async () =>
        {
            await Store(context).AddUserAsync(tenant.Id, user!, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/users/{user!.ObjectId:D}";
            return GraphJson.Ok(UserJson(user), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    /// <summary>Builds the new user record from the body (over <paramref name="existing"/> for PATCH); null and a 400 on bad input.</summary>
    private static DirectoryUser? ApplyUser(Tenant tenant, BodyReader reader, DirectoryUser? existing, out IResult? invalid)
    {
        var upn = reader.String("userPrincipalName", 256, required: existing is null);
        if (upn is not null && (!DirectoryRules.IsUpn(upn, out var domain) || !tenant.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase)))
        {
            reader.Error("userPrincipalName", $"must be user@verified-domain ({string.Join(", ", tenant.VerifiedDomains)})");
        }

        var displayName = reader.String("displayName", 256);
        var enabled = reader.Bool("accountEnabled");
        string? password = null;
        if (reader.Object("passwordProfile", ["password", "forceChangePasswordNextSignIn", "forceChangePasswordNextSignInWithMfa"]) is { } profile)
        {
            password = profile.String("password", 256, required: true);
            _ = profile.Bool("forceChangePasswordNextSignIn");
            _ = profile.Bool("forceChangePasswordNextSignInWithMfa");
        }

        var syncEnabled = reader.Bool("onPremisesSyncEnabled");
        var sam = reader.String("onPremisesSamAccountName", 20);
        if (sam is not null && !DirectoryRules.IsSamAccountName(sam))
        {
            reader.Error("onPremisesSamAccountName", DirectoryRules.SamAccountNameRule);
        }

        var sidText = reader.String("onPremisesSecurityIdentifier", 184);
        SecurityIdentifier? sid = null;
        if (sidText is not null && (!SecurityIdentifier.TryParse(sidText, out sid) || sid.IdentifierAuthority != 5))
        {
            reader.Error("onPremisesSecurityIdentifier", "not an on-premises SID (S-1-5-21-…)");
        }

        var domainName = reader.String("onPremisesDomainName", 253);
        if (domainName is not null && !DirectoryRules.IsDnsName(domainName))
        {
            reader.Error("onPremisesDomainName", "not a DNS name");
        }

        OnPremisesIdentity? onPremises = existing?.OnPremises;
        var wantsSync = syncEnabled ?? (sam is not null || sidText is not null || domainName is not null || onPremises is not null);
        if (!wantsSync)
        {
            onPremises = null;
        }
        else if (reader.Errors.Count == 0)
        {
            var newSam = sam ?? onPremises?.SamAccountName;
            var newSid = sid ?? onPremises?.SecurityIdentifier;
            var newDomain = domainName?.ToLowerInvariant() ?? onPremises?.DomainName ?? tenant.OnPremisesDomain?.DnsName;
            if (newSam is null)
            {
                reader.Error("onPremisesSamAccountName", "required for a synced (hybrid) user");
            }

            if (newSid is null)
            {
                reader.Error("onPremisesSecurityIdentifier", "required for a synced (hybrid) user");
            }

            if (newDomain is null)
            {
                reader.Error("onPremisesDomainName", "required when the tenant has no on-premises domain");
            }

            if (newSam is not null && newSid is not null && newDomain is not null)
            {
                onPremises = new OnPremisesIdentity
                {
                    SamAccountName = newSam,
                    SecurityIdentifier = newSid,
                    DomainName = newDomain,
                    PrimaryGroupRid = onPremises?.PrimaryGroupRid ?? 513,
                };
            }
        }

        invalid = reader.Result();
        if (invalid is not null)
        {
            return null;
        }

        var finalUpn = upn ?? existing!.UserPrincipalName;
        var keys = existing?.Keys ?? [];
        if (password is not null)
        {
            var kvno = keys.Count == 0 ? 1u : keys.Max(k => k.Kvno) + 1;
            keys = KeyFactory.ForUser(password, finalUpn, tenant.Policy.EncryptionTypes, kvno);
        }

        return new DirectoryUser
        {
            ObjectId = existing?.ObjectId ?? Guid.NewGuid(),
            UserPrincipalName = finalUpn,
            DisplayName = displayName ?? existing?.DisplayName ?? finalUpn,
            AccountEnabled = enabled ?? existing?.AccountEnabled ?? true,
            Keys = keys,
            OnPremises = onPremises,
            GroupIds = existing?.GroupIds ?? [],
        };
    }

    private static async Task<IResult> ListUsersAsync(HttpContext context)
    {
        var users = await Store(context).ListUsersAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(users.Select(UserJson));
    }

    private static async Task<DirectoryUser?> FindUserAsync(HttpContext context, string id) =>
        TryId(id, out var objectId) ? await Store(context).GetUserAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) : null;

    private static IResult NoUser(string id) => GraphJson.NotFound($"id: no user '{Truncate(id)}' in this tenant");

    private static async Task<IResult> GetUserAsync(HttpContext context, string id) =>
        await FindUserAsync(context, id).ConfigureAwait(false) is { } user ? GraphJson.Ok(UserJson(user)) : NoUser(id);

    private static async Task<IResult> UpdateUserAsync(HttpContext context, string id)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        return await WriteAsync(context, async () =>
        {
            if (await FindUserAsync(context, id).ConfigureAwait(false) is not { } existing)
            {
                return NoUser(id);
            }

            var tenant = TenantOf(context);
            var user = ApplyUser(tenant, new BodyReader(body!.Value, UserFields, ReadOnlyFields), existing, out var invalid);
            if (invalid is not null)
            {
                return invalid;
            }

            await Store(context).UpdateUserAsync(tenant.Id, user!, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).ConfigureAwait(false);
    }

    private static Task<IResult> DeleteUserAsync(HttpContext context, string id) => WriteAsync(context, async () =>
    {
        if (!TryId(id, out var objectId) || await Store(context).GetUserAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return NoUser(id);
        }

        await Store(context).DeleteUserAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    });

    private static async Task<IResult> MemberOfAsync(HttpContext context, string id)
    {
        if (await FindUserAsync(context, id).ConfigureAwait(false) is not { } user)
        {
            return NoUser(id);
        }

        var groups = new List<JsonNode>();
        foreach (var groupId in user.GroupIds)
        {
            if (await Store(context).FindGroupAsync(TenantOf(context).Id, groupId, context.RequestAborted).ConfigureAwait(false) is { } group)
            {
                groups.Add(GroupJson(group));
            }
        }

        return GraphJson.Collection(groups);
    }

    // ---- groups ----

    private static JsonObject GroupJson(DirectoryGroup group) => new()
    {
        ["@odata.type"] = "#microsoft.graph.group",
        ["id"] = group.ObjectId.ToString("D"),
        ["displayName"] = group.DisplayName,
        ["securityEnabled"] = true,
        ["securityIdentifier"] = PacFactory.CloudSid(group.ObjectId).ToString(),
        ["onPremisesSecurityIdentifier"] = group.OnPremisesSecurityIdentifier?.ToString(),
        ["onPremisesSyncEnabled"] = group.OnPremisesSecurityIdentifier is null ? null : true,
    };

    private static DirectoryGroup? ApplyGroup(BodyReader reader, DirectoryGroup? existing, out IResult? invalid)
    {
        var displayName = reader.String("displayName", 256, required: existing is null);
        var sidText = reader.String("onPremisesSecurityIdentifier", 184);
        SecurityIdentifier? sid = null;
        if (sidText is not null && !SecurityIdentifier.TryParse(sidText, out sid))
        {
            reader.Error("onPremisesSecurityIdentifier", "not a SID");
        }

        invalid = reader.Result();
        return invalid is not null ? null : new DirectoryGroup
        {
            ObjectId = existing?.ObjectId ?? Guid.NewGuid(),
            DisplayName = displayName ?? existing!.DisplayName,
            OnPremisesSecurityIdentifier = sid ?? existing?.OnPremisesSecurityIdentifier,
        };
    }

    private static async Task<IResult> CreateGroupAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var group = ApplyGroup(new BodyReader(body!.Value, GroupFields, ReadOnlyFields), null, out var invalid);
        if (invalid is not null)
        {
            return invalid;
        }

        var tenant = TenantOf(context);
        return await WriteAsync(context, async () =>
        {
            await Store(context).AddGroupAsync(tenant.Id, group!, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/groups/{group!.ObjectId:D}";
            return GraphJson.Ok(GroupJson(group), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ListGroupsAsync(HttpContext context)
    {
        var groups = await Store(context).ListGroupsAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(groups.Select(GroupJson));
    }

    private static async Task<DirectoryGroup?> FindGroupAsync(HttpContext context, string id) =>
        TryId(id, out var objectId) ? await Store(context).FindGroupAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) : null;

    private static IResult NoGroup(string id) => GraphJson.NotFound($"id: no group '{Truncate(id)}' in this tenant");

    private static async Task<IResult> GetGroupAsync(HttpContext context, string id) =>
        await FindGroupAsync(context, id).ConfigureAwait(false) is { } group ? GraphJson.Ok(GroupJson(group)) : NoGroup(id);

    private static async Task<IResult> UpdateGroupAsync(HttpContext context, string id)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        return await WriteAsync(context, async () =>
        {
            if (await FindGroupAsync(context, id).ConfigureAwait(false) is not { } existing)
            {
                return NoGroup(id);
            }

            var group = ApplyGroup(new BodyReader(body!.Value, GroupFields, ReadOnlyFields), existing, out var invalid);
            if (invalid is not null)
            {
                return invalid;
            }

            await Store(context).UpdateGroupAsync(TenantOf(context).Id, group!, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).ConfigureAwait(false);
    }

    private static Task<IResult> DeleteGroupAsync(HttpContext context, string id) => WriteAsync(context, async () =>
    {
        if (await FindGroupAsync(context, id).ConfigureAwait(false) is not { } group)
        {
            return NoGroup(id);
        }

        await Store(context).DeleteGroupAsync(TenantOf(context).Id, group.ObjectId, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    });

    private static async Task<IResult> MembersAsync(HttpContext context, string id)
    {
        if (await FindGroupAsync(context, id).ConfigureAwait(false) is not { } group)
        {
            return NoGroup(id);
        }

        var users = await Store(context).ListUsersAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(users.Where(u => u.GroupIds.Contains(group.ObjectId)).Select(UserJson));
    }

    private static async Task<IResult> AddMemberAsync(HttpContext context, string id)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        // {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"} or {"id": "{id}"}
        string? reference = null;
        if (body!.Value.TryGetProperty("@odata.id", out var odataId) && odataId.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            reference = odataId.GetString()!.TrimEnd('/');
            reference = reference[(reference.LastIndexOf('/') + 1)..];
        }
        else if (body.Value.TryGetProperty("id", out var plainId) && plainId.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            reference = plainId.GetString();
        }

        if (reference is null || !TryId(reference, out var userId))
        {
            return GraphJson.BadRequest("@odata.id: must reference a user (…/users/{id} or {\"id\": \"{id}\"})");
        }

        return await WriteAsync(context, async () =>
        {
            if (await FindGroupAsync(context, id).ConfigureAwait(false) is not { } group)
            {
                return NoGroup(id);
            }

            var tenant = TenantOf(context);
            if (await Store(context).GetUserAsync(tenant.Id, userId, context.RequestAborted).ConfigureAwait(false) is not { } user)
            {
                return NoUser(reference);
            }

            if (user.GroupIds.Contains(group.ObjectId))
            {
                return GraphJson.BadRequest("members: the user is already a member of the group");
            }

            await Store(context).UpdateUserAsync(tenant.Id, user with { GroupIds = [.. user.GroupIds, group.ObjectId] }, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).ConfigureAwait(false);
    }

    private static Task<IResult> RemoveMemberAsync(HttpContext context, string id, string userId) => WriteAsync(context, async () =>
    {
        if (await FindGroupAsync(context, id).ConfigureAwait(false) is not { } group)
        {
            return NoGroup(id);
        }

        if (await FindUserAsync(context, userId).ConfigureAwait(false) is not { } user || !user.GroupIds.Contains(group.ObjectId))
        {
            return GraphJson.NotFound($"userId: '{Truncate(userId)}' is not a member of the group");
        }

        await Store(context).UpdateUserAsync(TenantOf(context).Id, user with { GroupIds = user.GroupIds.Where(g => g != group.ObjectId).ToList() }, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    });

    // ---- service principals ----

    private static JsonObject ServicePrincipalJson(ServicePrincipal sp) => new()
    {
        ["@odata.type"] = "#microsoft.graph.servicePrincipal",
        ["id"] = sp.ObjectId.ToString("D"),
        ["displayName"] = sp.DisplayName,
        ["servicePrincipalNames"] = new JsonArray([.. sp.ServicePrincipalNames.Select(s => (JsonNode)s)]),
        ["tags"] = new JsonArray([.. sp.Tags.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
        ["accountEnabled"] = sp.AccountEnabled,
    };

    private static ServicePrincipal? ApplyServicePrincipal(BodyReader reader, ServicePrincipal? existing, out IResult? invalid)
    {
        var displayName = reader.String("displayName", 256, required: existing is null);
        var spns = reader.Strings("servicePrincipalNames", 100, 512);
        if (spns is not null)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < spns.Count; i++)
            {
                if (!DirectoryRules.IsSpn(spns[i]))
                {
                    reader.Error($"servicePrincipalNames[{i}]", "not an SPN (service/host[/name] or api://…)");
                }
                else if (!seen.Add(spns[i]))
                {
                    reader.Error($"servicePrincipalNames[{i}]", $"'{spns[i]}' is listed twice");
                }
            }
        }

        var tags = reader.Strings("tags", 100, 256);
        var enabled = reader.Bool("accountEnabled");
        invalid = reader.Result();
        if (invalid is not null)
        {
            return null;
        }

        var names = (IReadOnlyList<string>?)spns ?? existing?.ServicePrincipalNames ?? [];
        var keys = (existing?.KeysBySpn ?? new Dictionary<string, IReadOnlyList<StoredKey>>())
            .Where(k => names.Contains(k.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(k => k.Key, k => k.Value, StringComparer.OrdinalIgnoreCase);
        return new ServicePrincipal
        {
            ObjectId = existing?.ObjectId ?? Guid.NewGuid(),
            DisplayName = displayName ?? existing!.DisplayName,
            ServicePrincipalNames = names,
            KeysBySpn = keys,
            Tags = tags is null ? existing?.Tags ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : new HashSet<string>(tags, StringComparer.OrdinalIgnoreCase),
            AccountEnabled = enabled ?? existing?.AccountEnabled ?? true,
        };
    }

    private static async Task<IResult> CreateServicePrincipalAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var sp = ApplyServicePrincipal(new BodyReader(body!.Value, ServicePrincipalFields, ReadOnlyFields), null, out var invalid);
        if (invalid is not null)
        {
            return invalid;
        }

        var tenant = TenantOf(context);
        return await WriteAsync(context, async () =>
        {
            await Store(context).AddServicePrincipalAsync(tenant.Id, sp!, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/servicePrincipals/{sp!.ObjectId:D}";
            return GraphJson.Ok(ServicePrincipalJson(sp), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ListServicePrincipalsAsync(HttpContext context)
    {
        var sps = await Store(context).ListServicePrincipalsAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(sps.Select(ServicePrincipalJson));
    }

    private static async Task<ServicePrincipal?> FindServicePrincipalAsync(HttpContext context, string id) =>
        TryId(id, out var objectId) ? await Store(context).GetServicePrincipalAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) : null;

    private static IResult NoServicePrincipal(string id) => GraphJson.NotFound($"id: no service principal '{Truncate(id)}' in this tenant");

    private static async Task<IResult> GetServicePrincipalAsync(HttpContext context, string id) =>
        await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is { } sp ? GraphJson.Ok(ServicePrincipalJson(sp)) : NoServicePrincipal(id);

    private static async Task<IResult> UpdateServicePrincipalAsync(HttpContext context, string id)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        return await WriteAsync(context, async () =>
        {
            if (await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is not { } existing)
            {
                return NoServicePrincipal(id);
            }

            var sp = ApplyServicePrincipal(new BodyReader(body!.Value, ServicePrincipalFields, ReadOnlyFields), existing, out var invalid);
            if (invalid is not null)
            {
                return invalid;
            }

            await Store(context).UpdateServicePrincipalAsync(TenantOf(context).Id, sp!, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).ConfigureAwait(false);
    }

    private static Task<IResult> DeleteServicePrincipalAsync(HttpContext context, string id) => WriteAsync(context, async () =>
    {
        if (await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is not { } sp)
        {
            return NoServicePrincipal(id);
        }

        await Store(context).DeleteServicePrincipalAsync(TenantOf(context).Id, sp.ObjectId, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    });

    /// <summary>A server-generated secret: 30 random bytes, URL-safe base64 (40 characters), like Entra's client secrets in length.</summary>
    private static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    /// <summary>New keys at kvno = max + 1 for every SPN, placed before the old ones (which keep opening tickets issued under them).</summary>
    internal static ServicePrincipal WithNewSecret(ServicePrincipal sp, Tenant tenant, string secret, DateTimeOffset expiresOn)
    {
        var kvno = sp.KeysBySpn.Values.SelectMany(k => k).Select(k => k.Kvno).DefaultIfEmpty(0u).Max() + 1;
        var fresh = KeyFactory.ForServicePrincipal(secret, sp.ServicePrincipalNames, tenant.Policy.EncryptionTypes, kvno, expiresOn);
        var keys = new Dictionary<string, IReadOnlyList<StoredKey>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (spn, newKeys) in fresh)
        {
            keys[spn] = sp.KeysBySpn.TryGetValue(spn, out var old) ? [.. newKeys, .. old] : newKeys;
        }

        return sp with { KeysBySpn = keys };
    }

    private static async Task<IResult> AddPasswordAsync(HttpContext context, string id)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context, optional: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        string? displayName = null;
        DateTimeOffset? end = null;
        if (body is { } json)
        {
            var reader = new BodyReader(json, ["passwordCredential"]);
            if (reader.Object("passwordCredential", ["displayName", "endDateTime", "startDateTime"]) is { } credential)
            {
                displayName = credential.String("displayName", 256);
                end = credential.Time("endDateTime");
                _ = credential.Time("startDateTime");
                if (end is { } e && e <= now)
                {
                    credential.Error("endDateTime", "must be in the future");
                }
            }

            if (reader.Result() is { } invalid)
            {
                return invalid;
            }
        }

        var expiresOn = end ?? StorageAccounts.DefaultExpiry(now);
        return await WriteAsync(context, async () =>
        {
            if (await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is not { } sp)
            {
                return NoServicePrincipal(id);
            }

            var secret = NewSecret();
            var tenant = TenantOf(context);
            await Store(context).UpdateServicePrincipalAsync(tenant.Id, WithNewSecret(sp, tenant, secret, expiresOn), context.RequestAborted).ConfigureAwait(false);
            return GraphJson.Ok(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.passwordCredential",
                ["customKeyIdentifier"] = null,
                ["displayName"] = displayName,
                ["endDateTime"] = GraphJson.Time(expiresOn),
                ["hint"] = secret[..3],
                ["keyId"] = Guid.NewGuid().ToString("D"),
                ["secretText"] = secret,
                ["startDateTime"] = GraphJson.Time(now),
            });
        }).ConfigureAwait(false);
    }

    private static string EtypeName(EncryptionType etype) => etype switch
    {
        EncryptionType.Aes128CtsHmacSha196 => "aes128-cts-hmac-sha1-96",
        EncryptionType.Aes256CtsHmacSha196 => "aes256-cts-hmac-sha1-96",
        EncryptionType.Aes128CtsHmacSha256128 => "aes128-cts-hmac-sha256-128",
        EncryptionType.Aes256CtsHmacSha384192 => "aes256-cts-hmac-sha384-192",
        _ => ((int)etype).ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<IResult> KerberosKeysAsync(HttpContext context, string id)
    {
        if (await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is not { } sp)
        {
            return NoServicePrincipal(id);
        }

        var items = sp.KeysBySpn.OrderBy(k => k.Key, StringComparer.Ordinal).SelectMany(pair => pair.Value.Select(key => (JsonNode)new JsonObject
        {
            ["spn"] = pair.Key,
            ["kvno"] = key.Kvno,
            ["encryptionType"] = EtypeName(key.EncryptionType),
            ["expiresOn"] = key.ExpiresOn is { } expires ? GraphJson.Time(expires) : null,
        }));
        return GraphJson.Collection(items);
    }

    // ---- sign-in log ----

    private static JsonObject SignInJson(SignInEvent e) => new()
    {
        ["id"] = e.Id.ToString("D"),
        ["createdDateTime"] = e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["kind"] = e.Kind.ToString().ToLowerInvariant(),
        ["userPrincipalName"] = e.Client,
        ["servicePrincipalName"] = e.Service,
        ["status"] = new JsonObject
        {
            ["errorCode"] = e.ErrorCode is { } code ? (int)code : 0,
            ["failureReason"] = e.Reason,
            ["additionalDetails"] = e.ErrorCode?.ToString(),
        },
        ["ipAddress"] = e.ClientAddress,
        ["correlationId"] = e.RequestId,
    };

    private static async Task<IResult> SignInsAsync(HttpContext context)
    {
        var q = context.Request.Query;
        var errors = new List<string>();
        string? Text(string name)
        {
            var value = q[name];
            if (value.Count == 0)
            {
                return null;
            }

            if (value.Count > 1 || value[0] is not { Length: > 0 and <= 256 } text)
            {
                errors.Add($"{name}: give it once, 1-256 characters");
                return null;
            }

            return text;
        }

        DateTimeOffset? Time(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                errors.Add($"{name}: not an ISO 8601 date and time");
                return null;
            }

            return time;
        }

        var user = Text("user");
        var service = Text("service");
        bool? succeeded = Text("status") switch
        {
            null => null,
            var s when s.Equals("success", StringComparison.OrdinalIgnoreCase) => true,
            var s when s.Equals("failure", StringComparison.OrdinalIgnoreCase) => false,
            _ => Invalid("status: must be success or failure"),
        };
        var from = Time("from");
        var to = Time("to");
        var top = 100;
        if (Text("$top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > 1000))
        {
            errors.Add("$top: must be a number from 1 to 1000");
        }

        var token = Text("$skiptoken");
        if (errors.Count > 0)
        {
            return GraphJson.BadRequest(string.Join("; ", errors));
        }

        SignInPage page;
        try
        {
            page = await context.RequestServices.GetRequiredService<ISignInLog>().QueryAsync(new SignInQuery
            {
                TenantId = TenantOf(context).Id,
                Client = user,
                Service = service,
                Succeeded = succeeded,
                From = from,
                To = to,
                Top = top,
                PageToken = token,
            }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return GraphJson.BadRequest("$skiptoken: not a token this server issued");
        }

        string? next = null;
        if (page.NextPageToken is { } nextToken)
        {
            var query = q.Where(p => p.Key != "$skiptoken").ToDictionary(p => p.Key, p => p.Value.ToString());
            query["$skiptoken"] = nextToken;
            var origin = context.RequestServices.GetRequiredService<PublicOrigin>().For(context);
            next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(origin + context.Request.Path, query!);
        }

        return GraphJson.Collection(page.Items.Select(SignInJson), next);

        bool? Invalid(string message)
        {
            errors.Add(message);
            return null;
        }
    }

    // ---- emulator-only ----

    private static async Task<IResult> CreateStorageAccountAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var tenant = TenantOf(context);
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var reader = new BodyReader(body!.Value, ["name", "password", "privateLink", "endDateTime", "tags"]);
        var name = reader.String("name", 24, required: true);
        if (name is not null && !StorageAccounts.IsValidName(name))
        {
            reader.Error("name", StorageAccounts.NameRule);
        }

        var password = reader.String("password", 256);
        if (password is { Length: 0 })
        {
            reader.Error("password", "must not be empty");
        }

        var privateLink = reader.Bool("privateLink") ?? false;
        var end = reader.Time("endDateTime");
        var tags = reader.Strings("tags", 100, 256);
        if (reader.Result() is { } invalid)
        {
            return invalid;
        }

        var generated = password is null;
        var secret = password ?? NewSecret();
        ServicePrincipal sp;
        try
        {
            sp = StorageAccounts.Create(
                tenant, StorageAccounts.ObjectId(tenant.Id, name!), name!, StorageAccounts.Spns(tenant.Id, name!, privateLink), secret, kvno: 1,
                end ?? StorageAccounts.DefaultExpiry(now), new HashSet<string>(tags ?? [], StringComparer.OrdinalIgnoreCase));
        }
        catch (ArgumentException)
        {
            return GraphJson.BadRequest("password: a kk: key must be base64 of 16 or 32 bytes");
        }

        return await WriteAsync(context, async () =>
        {
            if (await Store(context).GetServicePrincipalAsync(tenant.Id, sp.ObjectId, context.RequestAborted).ConfigureAwait(false) is not null)
            {
                return GraphJson.Conflict("name", $"storage account '{name}' is already registered");
            }

            await Store(context).AddServicePrincipalAsync(tenant.Id, sp, context.RequestAborted).ConfigureAwait(false);
            var json = ServicePrincipalJson(sp);
            if (generated)
            {
                json["password"] = secret;
            }

            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/servicePrincipals/{sp.ObjectId:D}";
            return GraphJson.Ok(json, StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> KeytabAsync(HttpContext context, string id, string? spn)
    {
        if (await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is not { } sp)
        {
            return NoServicePrincipal(id);
        }

        if (spn is not null && !sp.ServicePrincipalNames.Contains(spn, StringComparer.OrdinalIgnoreCase))
        {
            return GraphJson.NotFound($"spn: '{Truncate(spn)}' is not registered on this service principal");
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds());
        var entries = new List<KeytabEntry>();
        foreach (var name in spn is null ? sp.ServicePrincipalNames : [spn])
        {
            var lower = name.ToLowerInvariant();
            if (!sp.KeysBySpn.TryGetValue(lower, out var keys))
            {
                continue;
            }

            var principal = new PrincipalName(PrincipalNameType.ServiceInstance, lower.Split('/'));
            entries.AddRange(keys.Select(k => new KeytabEntry(CloudRealm.Name, principal, k.Kvno, k.Key, timestamp)));
        }

        if (entries.Count == 0)
        {
            return GraphJson.NotFound("kerberosKeys: no keys to export (POST …/addPassword first)");
        }

        var fileName = (spn ?? sp.DisplayName).Replace('/', '_').Replace(' ', '_');
        return Results.File(new KeytabFile(entries).ToArray(), "application/octet-stream", $"{new string(fileName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-').ToArray())}.keytab");
    }

    private static Task<IResult> RotateKrbtgtAsync(HttpContext context) => WriteAsync(context, async () =>
    {
        var tenant = TenantOf(context);
        var store = Store(context);
        var keys = await store.GetKrbtgtKeysAsync(tenant.Id, context.RequestAborted).ConfigureAwait(false);
        var kvno = keys.Select(k => k.Kvno).DefaultIfEmpty(0u).Max() + 1;
        var fresh = KeyFactory.RandomKrbtgtKey(context.RequestServices.GetRequiredService<IKerberosRandom>(), kvno, tenant.Policy.EncryptionTypes[0]);
        IReadOnlyList<StoredKey> rotated = [fresh, .. keys];
        await store.SetKrbtgtKeysAsync(tenant.Id, rotated, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Ok(new JsonObject
        {
            ["kvno"] = kvno,
            ["keyVersions"] = new JsonArray([.. rotated.Select(k => (JsonNode)k.Kvno)]),
        });
    });

    private static IResult Krb5Conf(HttpContext context)
    {
        var origin = context.RequestServices.GetRequiredService<PublicOrigin>().For(context);
        var caPath = context.RequestServices.GetRequiredService<LabTls>().Current?.CaCertificatePath;
        return Results.Text(ClientConfig.Krb5Conf(ClientConfig.KdcUrl(origin, TenantOf(context).Id), caPath), "text/plain", System.Text.Encoding.UTF8);
    }

    private static IResult Gpo(HttpContext context)
    {
        var origin = new Uri(context.RequestServices.GetRequiredService<PublicOrigin>().For(context));
        var tenantId = TenantOf(context).Id;
        return GraphJson.Ok(new JsonObject
        {
            ["realm"] = CloudRealm.Name,
            ["kdcProxyServers"] = new JsonObject
            {
                ["policy"] = "Computer Configuration > Administrative Templates > System > Kerberos > Specify KDC proxy servers for Kerberos clients",
                ["registryKey"] = ClientConfig.ProxyServersKey,
                ["valueName"] = CloudRealm.Name,
                ["value"] = ClientConfig.KdcProxyValue(origin, tenantId),
            },
            ["hostToRealm"] = new JsonObject
            {
                ["policy"] = "Computer Configuration > Administrative Templates > System > Kerberos > Define host name-to-Kerberos realm mappings",
                ["registryKey"] = ClientConfig.HostToRealmKey,
                ["valueName"] = CloudRealm.Name,
                ["value"] = ClientConfig.MappedHosts,
            },
            ["cloudKerberosTicketRetrievalEnabled"] = new JsonObject
            {
                ["registryKey"] = ClientConfig.LsaKerberosParametersKey,
                ["valueName"] = "CloudKerberosTicketRetrievalEnabled",
                ["value"] = 1,
            },
        });
    }

    private static IResult GpoReg(HttpContext context)
    {
        var origin = new Uri(context.RequestServices.GetRequiredService<PublicOrigin>().For(context));
        return Results.Text(ClientConfig.RegFile(origin, TenantOf(context).Id), "text/plain", System.Text.Encoding.UTF8);
    }
}
