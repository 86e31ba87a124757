using System.Collections.Concurrent;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// Registered devices, kept beside (not inside) the tenant data so this slice owns its state: one map per
/// tenant, keyed by object id, written under one lock so deviceId and certificate stay unique.
/// </summary>
public sealed partial class InMemoryDirectoryStore
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, RegisteredDevice>> devices = new();
    private readonly Lock devicesLock = new();

    public ValueTask<RegisteredDevice?> FindDeviceAsync(Guid tenantId, Guid deviceId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(devices.TryGetValue(tenantId, out var map) ? map.Values.FirstOrDefault(d => d.DeviceId == deviceId) : null);

    public ValueTask<IReadOnlyList<RegisteredDevice>> ListDevicesAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        _ = Data(tenantId);
        IReadOnlyList<RegisteredDevice> list = devices.TryGetValue(tenantId, out var map)
            ? map.Values.OrderBy(d => d.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.DeviceId).ToList()
            : [];
        return ValueTask.FromResult(list);
    }

    public ValueTask AddDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        _ = Data(tenantId);
        lock (devicesLock)
        {
            var map = devices.GetOrAdd(tenantId, _ => new ConcurrentDictionary<Guid, RegisteredDevice>());
            if (map.ContainsKey(device.ObjectId))
            {
                throw new DirectoryConflictException("id", $"Device {device.ObjectId} already exists.");
            }

            EnsureUniqueDevice(map, device);
            map[device.ObjectId] = device;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        _ = Data(tenantId);
        lock (devicesLock)
        {
            if (!devices.TryGetValue(tenantId, out var map) || !map.ContainsKey(device.ObjectId))
            {
                throw new DirectoryObjectNotFoundException($"Device {device.ObjectId} does not exist.");
            }

            EnsureUniqueDevice(map, device);
            map[device.ObjectId] = device;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteDeviceAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        _ = Data(tenantId);
        return devices.TryGetValue(tenantId, out var map) && map.TryRemove(objectId, out _)
            ? ValueTask.CompletedTask
            : throw new DirectoryObjectNotFoundException($"Device {objectId} does not exist.");
    }

    private static void EnsureUniqueDevice(ConcurrentDictionary<Guid, RegisteredDevice> map, RegisteredDevice device)
    {
        foreach (var other in map.Values)
        {
            if (other.ObjectId == device.ObjectId)
            {
                continue;
            }

            if (other.DeviceId == device.DeviceId)
            {
                throw new DirectoryConflictException("deviceId", $"Device {device.DeviceId} is already registered.");
            }

            if (other.Certificate.AsSpan().SequenceEqual(device.Certificate))
            {
                throw new DirectoryConflictException("certificate", "That certificate is already registered to another device.");
            }
        }
    }
}
