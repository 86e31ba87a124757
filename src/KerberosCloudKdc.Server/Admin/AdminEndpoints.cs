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

        DeviceEndpoints.Map(api);

        api.MapGet("/auditLogs/signIns", (Func<HttpContext, Task<IResult>>)SignInsAsync);

        api.MapPost("/emulator/storageAccounts", (Func<HttpContext, Task<IResult>>)CreateStorageAccountAsync);
        api.MapGet("/emulator/servicePrincipals/{id}/keytab", KeytabAsync);
        api.MapGet("/emulator/tenants", (Func<HttpContext, Task<IResult>>)ListTenantsAsync);
        api.MapPost("/emulator/tenants", (Func<HttpContext, Task<IResult>>)CreateTenantAsync);
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
        // "common" (or "organizations") names the default tenant, as on the KDC endpoints, so tools need not know its id.
        var tenant = await context.RequestServices.GetRequiredService<TenantResolver>().FindForKdcAsync(segment, context.RequestAborted).ConfigureAwait(false);
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

    internal static Tenant TenantOf(HttpContext context) => (Tenant)context.Items[TenantItem]!;

    private static IDirectoryAdminStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IDirectoryAdminStore>();

    private static string Truncate(string text) => DirectoryAdministration.Truncate(text);

    /// <summary>Runs a write under the gate, turning store conflicts into 409 and vanished objects into 404.</summary>
    internal static async Task<IResult> WriteAsync(HttpContext context, Func<Task<IResult>> write)
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
        catch (AdminException e)
        {
            return AdminError(e);
        }
        finally
        {
            WriteGate.Release();
        }
    }

    private static IResult AdminError(AdminException e) =>
        e.Status == StatusCodes.Status404NotFound ? GraphJson.NotFound(e.Message) : GraphJson.BadRequest(e.Message);

    private static bool TryId(string text, out Guid id) => Guid.TryParse(text, out id);

    // ---- users ----

    private static async Task<IResult> CreateUserAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var tenant = TenantOf(context);
        var user = DirectoryAdministration.ApplyUser(tenant, new BodyReader(body!.Value, DirectoryAdministration.UserFields, DirectoryAdministration.ReadOnlyFields), existing: null, out var invalid);
        if (invalid is not null)
        {
            return GraphJson.BadRequest(invalid);
        }

        return await WriteAsync(context, async () =>
        {
            await Store(context).AddUserAsync(tenant.Id, user!, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/users/{user!.ObjectId:D}";
            return GraphJson.Ok(DirectoryAdministration.UserJson(user), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ListUsersAsync(HttpContext context)
    {
        var users = await Store(context).ListUsersAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(users.Select(DirectoryAdministration.UserJson));
    }

    private static async Task<DirectoryUser?> FindUserAsync(HttpContext context, string id) =>
        TryId(id, out var objectId) ? await Store(context).GetUserAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) : null;

    private static IResult NoUser(string id) => GraphJson.NotFound($"id: no user '{Truncate(id)}' in this tenant");

    private static async Task<IResult> GetUserAsync(HttpContext context, string id) =>
        await FindUserAsync(context, id).ConfigureAwait(false) is { } user ? GraphJson.Ok(DirectoryAdministration.UserJson(user)) : NoUser(id);

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
            var user = DirectoryAdministration.ApplyUser(tenant, new BodyReader(body!.Value, DirectoryAdministration.UserFields, DirectoryAdministration.ReadOnlyFields), existing, out var invalid);
            if (invalid is not null)
            {
                return GraphJson.BadRequest(invalid);
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
                groups.Add(DirectoryAdministration.GroupJson(group));
            }
        }

        return GraphJson.Collection(groups);
    }

    // ---- groups ----

    private static async Task<IResult> CreateGroupAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var group = DirectoryAdministration.ApplyGroup(new BodyReader(body!.Value, DirectoryAdministration.GroupFields, DirectoryAdministration.ReadOnlyFields), null, out var invalid);
        if (invalid is not null)
        {
            return GraphJson.BadRequest(invalid);
        }

        var tenant = TenantOf(context);
        return await WriteAsync(context, async () =>
        {
            await Store(context).AddGroupAsync(tenant.Id, group!, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/groups/{group!.ObjectId:D}";
            return GraphJson.Ok(DirectoryAdministration.GroupJson(group), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ListGroupsAsync(HttpContext context)
    {
        var groups = await Store(context).ListGroupsAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(groups.Select(DirectoryAdministration.GroupJson));
    }

    private static async Task<DirectoryGroup?> FindGroupAsync(HttpContext context, string id) =>
        TryId(id, out var objectId) ? await Store(context).FindGroupAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) : null;

    private static IResult NoGroup(string id) => GraphJson.NotFound($"id: no group '{Truncate(id)}' in this tenant");

    private static async Task<IResult> GetGroupAsync(HttpContext context, string id) =>
        await FindGroupAsync(context, id).ConfigureAwait(false) is { } group ? GraphJson.Ok(DirectoryAdministration.GroupJson(group)) : NoGroup(id);

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

            var group = DirectoryAdministration.ApplyGroup(new BodyReader(body!.Value, DirectoryAdministration.GroupFields, DirectoryAdministration.ReadOnlyFields), existing, out var invalid);
            if (invalid is not null)
            {
                return GraphJson.BadRequest(invalid);
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
        return GraphJson.Collection(users.Where(u => u.GroupIds.Contains(group.ObjectId)).Select(DirectoryAdministration.UserJson));
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

            await Store(context).UpdateUserAsync(tenant.Id, DirectoryAdministration.WithGroup(user, group), context.RequestAborted).ConfigureAwait(false);
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

    private static async Task<IResult> CreateServicePrincipalAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var sp = DirectoryAdministration.ApplyServicePrincipal(new BodyReader(body!.Value, DirectoryAdministration.ServicePrincipalFields, DirectoryAdministration.ReadOnlyFields), null, out var invalid);
        if (invalid is not null)
        {
            return GraphJson.BadRequest(invalid);
        }

        var tenant = TenantOf(context);
        return await WriteAsync(context, async () =>
        {
            await Store(context).AddServicePrincipalAsync(tenant.Id, sp!, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/servicePrincipals/{sp!.ObjectId:D}";
            return GraphJson.Ok(DirectoryAdministration.ServicePrincipalJson(sp), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ListServicePrincipalsAsync(HttpContext context)
    {
        var sps = await Store(context).ListServicePrincipalsAsync(TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(sps.Select(DirectoryAdministration.ServicePrincipalJson));
    }

    private static async Task<ServicePrincipal?> FindServicePrincipalAsync(HttpContext context, string id) =>
        TryId(id, out var objectId) ? await Store(context).GetServicePrincipalAsync(TenantOf(context).Id, objectId, context.RequestAborted).ConfigureAwait(false) : null;

    private static IResult NoServicePrincipal(string id) => GraphJson.NotFound($"id: no service principal '{Truncate(id)}' in this tenant");

    private static async Task<IResult> GetServicePrincipalAsync(HttpContext context, string id) =>
        await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is { } sp ? GraphJson.Ok(DirectoryAdministration.ServicePrincipalJson(sp)) : NoServicePrincipal(id);

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

            var sp = DirectoryAdministration.ApplyServicePrincipal(new BodyReader(body!.Value, DirectoryAdministration.ServicePrincipalFields, DirectoryAdministration.ReadOnlyFields), existing, out var invalid);
            if (invalid is not null)
            {
                return GraphJson.BadRequest(invalid);
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

            var json = await DirectoryAdministration.AddPasswordAsync(Store(context), TenantOf(context), sp, displayName, expiresOn, now, context.RequestAborted).ConfigureAwait(false);
            return GraphJson.Ok(json);
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

        return GraphJson.Collection(page.Items.Select(DirectoryAdministration.SignInJson), next);

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
        var reader = new BodyReader(body!.Value, DirectoryAdministration.StorageAccountFields);
        return await WriteAsync(context, async () =>
        {
            var (sp, json, invalid) = await DirectoryAdministration.AddStorageAccountAsync(Store(context), tenant, reader, now, context.RequestAborted).ConfigureAwait(false);
            if (invalid is not null)
            {
                return GraphJson.BadRequest(invalid);
            }

            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/servicePrincipals/{sp!.ObjectId:D}";
            return GraphJson.Ok(json!, StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> KeytabAsync(HttpContext context, string id, string? spn)
    {
        if (await FindServicePrincipalAsync(context, id).ConfigureAwait(false) is not { } sp)
        {
            return NoServicePrincipal(id);
        }

        try
        {
            var bytes = DirectoryAdministration.BuildKeytab(sp, spn, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
            return Results.File(bytes, "application/octet-stream", DirectoryAdministration.KeytabFileName(sp, spn));
        }
        catch (AdminException e)
        {
            return AdminError(e);
        }
    }

    private static async Task<IResult> ListTenantsAsync(HttpContext context) =>
        GraphJson.Collection(await DirectoryAdministration.ListTenantsAsync(Store(context), context.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> CreateTenantAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var reader = new BodyReader(body!.Value, DirectoryAdministration.TenantFields);
        return await WriteAsync(context, async () =>
        {
            var (json, invalid) = await DirectoryAdministration.AddTenantAsync(
                Store(context), context.RequestServices.GetRequiredService<IKerberosRandom>(), reader, context.RequestAborted).ConfigureAwait(false);
            return invalid is not null ? GraphJson.BadRequest(invalid) : GraphJson.Ok(json!, StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static Task<IResult> RotateKrbtgtAsync(HttpContext context) => WriteAsync(context, async () => GraphJson.Ok(
        await DirectoryAdministration.RotateKrbtgtAsync(
            Store(context), TenantOf(context), context.RequestServices.GetRequiredService<IKerberosRandom>(), context.RequestAborted).ConfigureAwait(false)));

    private static IResult Krb5Conf(HttpContext context)
    {
        var origin = context.RequestServices.GetRequiredService<PublicOrigin>().For(context);
        var caPath = context.RequestServices.GetRequiredService<LabTls>().Current?.CaCertificatePath;
        return Results.Text(ClientConfig.Krb5Conf(ClientConfig.KdcUrl(origin, TenantOf(context).Id), caPath), "text/plain", System.Text.Encoding.UTF8);
    }

    private static IResult Gpo(HttpContext context)
    {
        var origin = new Uri(context.RequestServices.GetRequiredService<PublicOrigin>().For(context));
        return GraphJson.Ok(DirectoryAdministration.GpoJson(origin, TenantOf(context).Id));
    }

    private static IResult GpoReg(HttpContext context)
    {
        var origin = new Uri(context.RequestServices.GetRequiredService<PublicOrigin>().For(context));
        return Results.Text(ClientConfig.RegFile(origin, TenantOf(context).Id), "text/plain", System.Text.Encoding.UTF8);
    }
}
