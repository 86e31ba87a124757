using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Kdc.Directory;

// Contract placeholder: the token-endpoint slice (issue 5 §1) replaces these.
public sealed partial class InMemoryDirectoryStore
{
    public ValueTask<RegisteredDevice?> FindDeviceAsync(Guid tenantId, Guid deviceId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<RegisteredDevice?>(null);

    public ValueTask<IReadOnlyList<RegisteredDevice>> ListDevicesAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<RegisteredDevice>>([]);

    public ValueTask AddDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Device storage is not built yet.");

    public ValueTask UpdateDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Device storage is not built yet.");

    public ValueTask DeleteDeviceAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Device storage is not built yet.");
}
