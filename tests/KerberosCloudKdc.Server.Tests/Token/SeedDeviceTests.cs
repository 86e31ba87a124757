using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>Seed "devices" and the token policy fields (docs/token-path.md §1.4, §2; docs/configuration.md).</summary>
public sealed class SeedDeviceTests
{
    private static JsonObject Seed(JsonArray devices, JsonObject? policy = null) => new()
    {
        ["tenants"] = new JsonArray(new JsonObject
        {
            ["id"] = "5e3a1c2b-0000-4000-8000-000000000001",
            ["displayName"] = "Lab",
            ["verifiedDomains"] = new JsonArray("lab.example"),
            ["policy"] = policy,
            ["devices"] = devices,
        }),
    };

    [Fact]
    public async Task Seeded_devices_and_token_policy_load()
    {
        using var device = TestDevice.Create();
        var json = Seed(
            new JsonArray(new JsonObject
            {
                ["displayName"] = "LAB-PC-01",
                ["certificate"] = device.Certificate.ExportCertificatePem(),
                ["transportKey"] = Convert.ToBase64String(device.TransportKey.ExportSubjectPublicKeyInfo()),
            }),
            new JsonObject { ["passwordGrantEnabled"] = true, ["kerberosTopLevelNames"] = new JsonArray(".example.net") });
        var store = new InMemoryDirectoryStore();
        await SeedLoader.LoadAsync(SeedLoader.Parse(json.ToJsonString()), store, new CountingRandom(), new FixedClock(TestData.Now));

        var tenantId = Guid.Parse("5e3a1c2b-0000-4000-8000-000000000001");
        var found = await store.FindDeviceAsync(tenantId, device.DeviceId);
        Assert.NotNull(found);
        Assert.Equal("LAB-PC-01", found.DisplayName);
        Assert.Equal(device.Certificate.RawData, found.Certificate);
        var tenant = (await store.FindTenantAsync(tenantId.ToString()))!;
        Assert.True(tenant.Policy.PasswordGrantEnabled);
        Assert.Equal([".example.net"], tenant.Policy.KerberosTopLevelNames);
    }

    [Fact]
    public async Task The_demo_seed_enables_the_lab_password_grant_and_has_no_device()
    {
        var store = await TestData.DemoStoreAsync();
        Assert.True((await store.GetDefaultTenantAsync())!.Policy.PasswordGrantEnabled);
        Assert.Empty(await store.ListDevicesAsync(Guid.Parse(DemoSeed.TenantId)));
        var sample = SeedLoader.ParseFile(TestData.RepositoryFile("samples/demo-seed.json"));
        Assert.True(sample.Tenants![0].Policy!.PasswordGrantEnabled);
    }

    [Fact]
    public void Bad_seeded_devices_are_reported_with_their_path()
    {
        using var device = TestDevice.Create();
        using var notGuid = TestDevice.Create(commonName: "pc");
        var json = Seed(new JsonArray(
            new JsonObject { ["certificate"] = "not base64!" , ["transportKey"] = "x" },
            new JsonObject { ["certificate"] = Convert.ToBase64String(notGuid.Certificate.RawData), ["transportKey"] = Convert.ToBase64String(notGuid.TransportKey.ExportSubjectPublicKeyInfo()) },
            new JsonObject { ["certificate"] = Convert.ToBase64String(device.Certificate.RawData) }));
        var error = Assert.Throws<SeedException>(() => SeedLoader.Build(SeedLoader.Parse(json.ToJsonString()), new FixedClock(TestData.Now)));
        Assert.Contains("tenants[0].devices[0]: certificate:", error.Message, StringComparison.Ordinal);
        Assert.Contains("tenants[0].devices[1]: certificate: the subject CN", error.Message, StringComparison.Ordinal);
        Assert.Contains("tenants[0].devices[2]: certificate and transportKey are required", error.Message, StringComparison.Ordinal);
    }
}
