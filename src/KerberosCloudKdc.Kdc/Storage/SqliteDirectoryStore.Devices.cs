using System.Security.Cryptography;
using KerberosCloudKdc.Kdc.Directory;
using Microsoft.Data.Sqlite;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>Registered devices (schema version 3). Certificates and transport keys are public material, stored as plain blobs.</summary>
public sealed partial class SqliteDirectoryStore
{
    private const string DeviceColumns = "id, device_id, display_name, account_enabled, certificate, transport_key, registered_on";

    public async ValueTask<RegisteredDevice?> FindDeviceAsync(Guid tenantId, Guid deviceId, CancellationToken cancellationToken = default)
    {
        await using var lease = await database.RentAsync(cancellationToken).ConfigureAwait(false);
        await using var command = lease.Command($"SELECT {DeviceColumns} FROM devices WHERE tenant_id = $t AND device_id = $d;");
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$d", deviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDevice(reader) : null;
    }

    public async ValueTask<IReadOnlyList<RegisteredDevice>> ListDevicesAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(read, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = read.Command($"SELECT {DeviceColumns} FROM devices WHERE tenant_id = $t;");
        command.Parameters.Bind("$t", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RegisteredDevice>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadDevice(reader));
        }

        return list.OrderBy(d => d.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.DeviceId).ToList();
    }

    public async ValueTask AddDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command(
            "INSERT INTO devices (tenant_id, id, device_id, display_name, account_enabled, certificate, certificate_hash, transport_key, registered_on) " +
            "VALUES ($t, $id, $d, $name, $enabled, $cert, $hash, $tk, $on);"))
        {
            BindDevice(command, tenantId, device);
            await ExecuteDeviceWriteAsync(command, device, cancellationToken).ConfigureAwait(false);
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpdateDeviceAsync(Guid tenantId, RegisteredDevice device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await using (var command = write.Command(
            "UPDATE devices SET device_id = $d, display_name = $name, account_enabled = $enabled, certificate = $cert, certificate_hash = $hash, " +
            "transport_key = $tk, registered_on = $on WHERE tenant_id = $t AND id = $id;"))
        {
            BindDevice(command, tenantId, device);
            if (await ExecuteDeviceWriteAsync(command, device, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DirectoryObjectNotFoundException($"Device {device.ObjectId} does not exist.");
            }
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteDeviceAsync(Guid tenantId, Guid objectId, CancellationToken cancellationToken = default)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        if (await DeleteOwnedAsync(write, "DELETE FROM devices WHERE tenant_id = $t AND id = $id;", tenantId, objectId, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new DirectoryObjectNotFoundException($"Device {objectId} does not exist.");
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void BindDevice(SqliteCommand command, Guid tenantId, RegisteredDevice device)
    {
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$id", device.ObjectId);
        command.Parameters.Bind("$d", device.DeviceId);
        command.Parameters.Bind("$name", device.DisplayName);
        command.Parameters.Bind("$enabled", device.AccountEnabled ? 1 : 0);
        command.Parameters.Bind("$cert", device.Certificate);
        command.Parameters.Bind("$hash", SHA256.HashData(device.Certificate));
        command.Parameters.Bind("$tk", device.TransportKey);
        command.Parameters.Bind("$on", device.RegisteredOn.ToUnixTimeSeconds());
    }

    /// <summary>A unique-index hit names the device field it is about (the shared mapper only knows the older tables).</summary>
    private static async Task<int> ExecuteDeviceWriteAsync(SqliteCommand command, RegisteredDevice device, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode is 2067 or 1555)
        {
            var field = e.Message.Contains(".device_id", StringComparison.Ordinal) ? "deviceId"
                : e.Message.Contains(".certificate_hash", StringComparison.Ordinal) ? "certificate"
                : "id";
            throw new DirectoryConflictException(field, $"Device {device.DeviceId}: the {field} is already registered.");
        }
    }

    private static RegisteredDevice ReadDevice(SqliteDataReader reader) => new()
    {
        ObjectId = reader.GetGuid(0),
        DeviceId = reader.GetGuid(1),
        DisplayName = reader.GetString(2),
        AccountEnabled = reader.GetInt64(3) != 0,
        Certificate = (byte[])reader.GetValue(4),
        TransportKey = (byte[])reader.GetValue(5),
        RegisteredOn = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(6)),
    };
}
