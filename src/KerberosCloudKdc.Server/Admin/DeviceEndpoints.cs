using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// /{tenant}/v1.0/devices (docs/token-path.md §2): emulated device registration for the token endpoint.
/// Mapped on the admin group, so the same bearer key, tenant resolution and error shape apply.
/// </summary>
internal static class DeviceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/devices", (Func<HttpContext, Task<IResult>>)RegisterAsync);
        api.MapGet("/devices", (Func<HttpContext, Task<IResult>>)ListAsync);
        api.MapGet("/devices/{id}", GetAsync);
        api.MapPatch("/devices/{id}", UpdateAsync);
        api.MapDelete("/devices/{id}", DeleteAsync);
    }

    private static IDirectoryAdminStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IDirectoryAdminStore>();

    private static IResult NoDevice(string id) => GraphJson.NotFound($"id: no device '{DirectoryAdministration.Truncate(id)}' in this tenant");

    /// <summary>By object id, or by deviceId (what a device knows about itself).</summary>
    private static async Task<RegisteredDevice?> FindAsync(HttpContext context, string id)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return null;
        }

        var tenant = AdminEndpoints.TenantOf(context);
        var all = await Store(context).ListDevicesAsync(tenant.Id, context.RequestAborted).ConfigureAwait(false);
        return all.FirstOrDefault(d => d.ObjectId == guid) ?? all.FirstOrDefault(d => d.DeviceId == guid);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var device = DeviceAdministration.Register(body!.Value, now, out var invalid);
        if (device is null)
        {
            return GraphJson.BadRequest(invalid!);
        }

        var tenant = AdminEndpoints.TenantOf(context);
        return await AdminEndpoints.WriteAsync(context, async () =>
        {
            await Store(context).AddDeviceAsync(tenant.Id, device, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/{tenant.Id:D}/v1.0/devices/{device.ObjectId:D}";
            return GraphJson.Ok(DeviceAdministration.DeviceJson(device), StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var devices = await Store(context).ListDevicesAsync(AdminEndpoints.TenantOf(context).Id, context.RequestAborted).ConfigureAwait(false);
        return GraphJson.Collection(devices.Select(DeviceAdministration.DeviceJson));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id) =>
        await FindAsync(context, id).ConfigureAwait(false) is { } device ? GraphJson.Ok(DeviceAdministration.DeviceJson(device)) : NoDevice(id);

    private static async Task<IResult> UpdateAsync(HttpContext context, string id)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        return await AdminEndpoints.WriteAsync(context, async () =>
        {
            if (await FindAsync(context, id).ConfigureAwait(false) is not { } existing)
            {
                return NoDevice(id);
            }

            var device = DeviceAdministration.Update(body!.Value, existing, out var invalid);
            if (device is null)
            {
                return GraphJson.BadRequest(invalid!);
            }

            await Store(context).UpdateDeviceAsync(AdminEndpoints.TenantOf(context).Id, device, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).ConfigureAwait(false);
    }

    private static Task<IResult> DeleteAsync(HttpContext context, string id) => AdminEndpoints.WriteAsync(context, async () =>
    {
        if (await FindAsync(context, id).ConfigureAwait(false) is not { } existing)
        {
            return NoDevice(id);
        }

        await Store(context).DeleteDeviceAsync(AdminEndpoints.TenantOf(context).Id, existing.ObjectId, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    });
}
