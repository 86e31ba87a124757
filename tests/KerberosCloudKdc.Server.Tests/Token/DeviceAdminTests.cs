using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Server.Cli;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>/{tenant}/v1.0/devices and the cloudkdc device commands (docs/token-path.md §2).</summary>
public sealed class DeviceAdminTests
{
    [Fact]
    public async Task Register_list_get_patch_delete_and_refusals()
    {
        await using var harness = TokenHarness.Start();
        using var device = TestDevice.Create();
        var created = await harness.RegisterAsync(device);
        Assert.Equal(device.DeviceId.ToString("D"), created.GetProperty("deviceId").GetString());
        Assert.Equal(device.Certificate.Thumbprint, created.GetProperty("certificateThumbprint").GetString());
        Assert.True(created.GetProperty("accountEnabled").GetBoolean());
        Assert.False(created.TryGetProperty("transportKey", out _));

        using (var again = await harness.AdminClient.PostAsync(Http.Url("devices"), Http.Json(device.RegistrationJson("again"))))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        // PEM forms are accepted too; a CN that is not a GUID, a short key, or a deviceId that differs from the CN are not.
        using var pem = TestDevice.Create();
        var pemBody = new JsonObject
        {
            ["certificate"] = pem.Certificate.ExportCertificatePem(),
            ["transportKey"] = pem.TransportKey.ExportSubjectPublicKeyInfoPem(),
        };
        using (var ok = await harness.AdminClient.PostAsync(Http.Url("devices"), Http.Json(pemBody.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var notGuid = TestDevice.Create(commonName: "laptop-01");
        using (var bad = await harness.AdminClient.PostAsync(Http.Url("devices"), Http.Json(notGuid.RegistrationJson())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("CN", (await bad.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var other = TestDevice.Create();
        var mismatched = JsonNode.Parse(other.RegistrationJson())!.AsObject();
        mismatched["deviceId"] = Guid.NewGuid().ToString("D");
        using (var bad = await harness.AdminClient.PostAsync(Http.Url("devices"), Http.Json(mismatched.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using var small = RSA.Create(1024);
        var weak = JsonNode.Parse(other.RegistrationJson())!.AsObject();
        weak["transportKey"] = Convert.ToBase64String(small.ExportSubjectPublicKeyInfo());
        using (var bad = await harness.AdminClient.PostAsync(Http.Url("devices"), Http.Json(weak.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        var list = await (await harness.AdminClient.GetAsync(Http.Url("devices"))).ReadJsonAsync();
        Assert.Equal(2, list.GetProperty("value").GetArrayLength());

        var objectId = created.GetProperty("id").GetString();
        using (var patch = await harness.AdminClient.PatchAsync(Http.Url($"devices/{objectId}"), Http.Json("""{"displayName":"renamed","accountEnabled":false}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        var got = await (await harness.AdminClient.GetAsync(Http.Url($"devices/{device.DeviceId:D}"))).ReadJsonAsync();
        Assert.Equal("renamed", got.GetProperty("displayName").GetString());
        Assert.False(got.GetProperty("accountEnabled").GetBoolean());

        using (var delete = await harness.AdminClient.DeleteAsync(Http.Url($"devices/{objectId}")))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await harness.AdminClient.GetAsync(Http.Url($"devices/{objectId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await harness.Client.GetAsync(Http.Url("devices"))).StatusCode);
    }

    [Fact]
    public async Task Cli_registers_lists_disables_and_deletes_devices_offline()
    {
        var dataDirectory = TestData.TempDirectory();
        using var device = TestDevice.Create();
        var certificateFile = Path.Combine(dataDirectory, "device.pem");
        var transportFile = Path.Combine(dataDirectory, "transport.der");
        await File.WriteAllTextAsync(certificateFile, device.Certificate.ExportCertificatePem());
        await File.WriteAllBytesAsync(transportFile, device.TransportKey.ExportSubjectPublicKeyInfo());

        async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await CloudKdcCli.RunAsync(["--data-dir", dataDirectory, .. args], output, error);
            return (code, output.ToString(), error.ToString());
        }

        Assert.Equal(0, (await CliAsync("tenant", "add", "Contoso", "--domain", "contoso.com")).Code);
        Assert.True(CloudKdcCli.Route(["device", "list"]).IsCli);
        var registered = await CliAsync("--json", "device", "register", "--cert", certificateFile, "--transport-key", transportFile, "--name", "lab-pc");
        Assert.True(registered.Code == 0, registered.Err);
        Assert.Equal(device.DeviceId.ToString("D"), JsonNode.Parse(registered.Out)!["deviceId"]!.GetValue<string>());
        Assert.Equal(1, (await CliAsync("device", "register", "--cert", certificateFile, "--transport-key", transportFile)).Code);

        Assert.Contains("lab-pc", (await CliAsync("device", "list")).Out, StringComparison.Ordinal);
        var disabled = await CliAsync("--json", "device", "disable", device.DeviceId.ToString("D"));
        Assert.False(JsonNode.Parse(disabled.Out)!["accountEnabled"]!.GetValue<bool>());
        Assert.Equal(0, (await CliAsync("device", "delete", device.DeviceId.ToString("D"))).Code);
        Assert.DoesNotContain("lab-pc", (await CliAsync("device", "list")).Out, StringComparison.Ordinal);
        Assert.Equal(1, (await CliAsync("device", "delete", device.DeviceId.ToString("D"))).Code);
    }
}
