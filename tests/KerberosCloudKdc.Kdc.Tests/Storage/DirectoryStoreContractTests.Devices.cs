using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Kdc.Tests.Storage;

/// <summary>Registered devices (docs/token-path.md §2) in every store: round trip, per-tenant lookup, uniqueness, update, delete.</summary>
public abstract partial class DirectoryStoreContractTests
{
    private static RegisteredDevice NewDevice(string name, out Guid deviceId)
    {
        deviceId = Guid.NewGuid();
        using var key = RSA.Create(2048);
        using var transport = RSA.Create(2048);
        var request = new CertificateRequest($"CN={deviceId:D}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return DeviceRegistration.Create(Guid.NewGuid(), null, name, Convert.ToBase64String(certificate.RawData),
            Convert.ToBase64String(transport.ExportSubjectPublicKeyInfo()), new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Devices_round_trip_stay_unique_and_can_be_disabled_and_deleted()
    {
        await SeedAsync();
        var laptop = NewDevice("laptop", out var laptopId);
        await Store.AddDeviceAsync(TenantA, laptop);

        var found = await Store.FindDeviceAsync(TenantA, laptopId);
        Assert.NotNull(found);
        Assert.Equal(laptop.ObjectId, found.ObjectId);
        Assert.Equal(laptop.Certificate, found.Certificate);
        Assert.Equal(laptop.TransportKey, found.TransportKey);
        Assert.Equal(laptop.RegisteredOn, found.RegisteredOn);
        Assert.True(found.AccountEnabled);
        Assert.Null(await Store.FindDeviceAsync(TenantB, laptopId));

        // The same deviceId or the same certificate again is a conflict; another tenant may not see it at all.
        var clone = laptop with { ObjectId = Guid.NewGuid(), Certificate = NewDevice("clone", out _).Certificate };
        Assert.Equal("deviceId", (await Assert.ThrowsAsync<DirectoryConflictException>(() => Store.AddDeviceAsync(TenantA, clone).AsTask())).Field);
        var sameCertificate = NewDevice("other", out _) with { Certificate = laptop.Certificate };
        Assert.Equal("certificate", (await Assert.ThrowsAsync<DirectoryConflictException>(() => Store.AddDeviceAsync(TenantA, sameCertificate).AsTask())).Field);

        await Store.AddDeviceAsync(TenantA, NewDevice("desktop", out _));
        Assert.Equal(["desktop", "laptop"], (await Store.ListDevicesAsync(TenantA)).Select(d => d.DisplayName));
        Assert.Empty(await Store.ListDevicesAsync(TenantB));

        await Store.UpdateDeviceAsync(TenantA, laptop with { AccountEnabled = false, DisplayName = "old laptop" });
        var disabled = await Store.FindDeviceAsync(TenantA, laptopId);
        Assert.False(disabled!.AccountEnabled);
        Assert.Equal("old laptop", disabled.DisplayName);

        await Store.DeleteDeviceAsync(TenantA, laptop.ObjectId);
        Assert.Null(await Store.FindDeviceAsync(TenantA, laptopId));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(() => Store.DeleteDeviceAsync(TenantA, laptop.ObjectId).AsTask());
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(() => Store.UpdateDeviceAsync(TenantA, laptop).AsTask());
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(() => Store.AddDeviceAsync(Missing, NewDevice("x", out _)).AsTask());
    }
}
