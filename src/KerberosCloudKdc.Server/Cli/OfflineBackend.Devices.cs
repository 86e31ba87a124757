using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Server.Admin;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>Device registration on a data directory's store, validated by the same <see cref="DeviceAdministration"/> as the API.</summary>
internal sealed partial class OfflineBackend
{
    public async Task<IReadOnlyList<JsonObject>> ListDevicesAsync(CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var devices = await Store.ListDevicesAsync(current.Id, cancellationToken).ConfigureAwait(false);
        return [.. devices.Select(DeviceAdministration.DeviceJson)];
    }

    public async Task<JsonObject> RegisterDeviceAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var device = Valid(DeviceAdministration.Register(JsonSerializer.SerializeToElement(body), clock.GetUtcNow(), out var invalid), invalid);
        return await WriteAsync(async () =>
        {
            await Store.AddDeviceAsync(current.Id, device, cancellationToken).ConfigureAwait(false);
            return DeviceAdministration.DeviceJson(device);
        }).ConfigureAwait(false);
    }

    public async Task<JsonObject> UpdateDeviceAsync(string device, JsonObject patch, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var existing = await FindDeviceAsync(current, device, cancellationToken).ConfigureAwait(false);
        var updated = Valid(DeviceAdministration.Update(JsonSerializer.SerializeToElement(patch), existing, out var invalid), invalid);
        return await WriteAsync(async () =>
        {
            await Store.UpdateDeviceAsync(current.Id, updated, cancellationToken).ConfigureAwait(false);
            return DeviceAdministration.DeviceJson(updated);
        }).ConfigureAwait(false);
    }

    public async Task DeleteDeviceAsync(string device, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        var existing = await FindDeviceAsync(current, device, cancellationToken).ConfigureAwait(false);
        await WriteAsync(async () =>
        {
            await Store.DeleteDeviceAsync(current.Id, existing.ObjectId, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    private async Task<RegisteredDevice> FindDeviceAsync(Tenant current, string name, CancellationToken cancellationToken)
    {
        var all = Guid.TryParse(name, out var id) ? await Store.ListDevicesAsync(current.Id, cancellationToken).ConfigureAwait(false) : [];
        return all.FirstOrDefault(d => d.ObjectId == id) ?? all.FirstOrDefault(d => d.DeviceId == id)
            ?? throw new CliException($"device: no device '{DirectoryAdministration.Truncate(name)}' in tenant {current.Id:D}");
    }
}
