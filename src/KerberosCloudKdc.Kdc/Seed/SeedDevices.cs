using System.Security.Cryptography;
using System.Text;
using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Kdc.Seed;

/// <summary>Seed tenant "devices" (docs/token-path.md §2), validated like an admin API registration.</summary>
internal static class SeedDevices
{
    public static List<RegisteredDevice> Build(List<SeedDevice>? seeds, string tenantPath, Guid tenantId, DateTimeOffset now, Action<string, string> error)
    {
        var result = new List<RegisteredDevice>();
        for (var i = 0; i < (seeds?.Count ?? 0); i++)
        {
            var path = $"{tenantPath}.devices[{i}]";
            if (seeds![i] is not { } seed)
            {
                error(path, "must be an object");
                continue;
            }

            if (seed.Certificate is null || seed.TransportKey is null)
            {
                error(path, "certificate and transportKey are required");
                continue;
            }

            RegisteredDevice device;
            try
            {
                device = DeviceRegistration.Create(Guid.Empty, seed.DeviceId, seed.DisplayName, seed.Certificate, seed.TransportKey, now);
            }
            catch (ArgumentException e)
            {
                error(path, e.Message.Split(" (Parameter", 2)[0]);
                continue;
            }

            if (result.Any(d => d.DeviceId == device.DeviceId || d.Certificate.AsSpan().SequenceEqual(device.Certificate)))
            {
                error(path, "the same device (or certificate) is listed twice");
                continue;
            }

            // Stable object id (tenant + deviceId), so re-seeding a fresh store gives the same ids.
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"device|{tenantId:D}|{device.DeviceId:D}"));
            result.Add(device with { ObjectId = new Guid(hash.AsSpan(0, 16)) });
        }

        return result;
    }
}
