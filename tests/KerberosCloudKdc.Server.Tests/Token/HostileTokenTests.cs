using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Server.Tests.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>Every refusal of docs/token-path.md §1: right status and AADSTS code, nothing issued, one failed sign-in logged.</summary>
public sealed class HostileTokenTests
{
    private static async Task AssertRefusedAsync(TokenHarness harness, HttpResponseMessage response, HttpStatusCode status, int code, bool logged = true)
    {
        Assert.Equal(status, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("error_codes")[0].GetInt32());
        var description = body.GetProperty("error_description").GetString()!;
        Assert.StartsWith($"AADSTS{code}: ", description, StringComparison.Ordinal);
        Assert.Contains("\r\nTrace ID: ", description, StringComparison.Ordinal);
        Assert.Contains("\r\nCorrelation ID: ", description, StringComparison.Ordinal);
        Assert.Contains("\r\nTimestamp: ", description, StringComparison.Ordinal);
        foreach (var leak in new[] { "refresh_token\"", "tgt_cloud", "session_key_jwe", "   at ", "Exception" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }

        if (logged)
        {
            var signIn = (await harness.TokenSignInsAsync())[0];
            Assert.Contains($"AADSTS{code}", signIn.GetProperty("status").GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task<(TokenHarness Harness, TestDevice Device)> RegisteredAsync()
    {
        var harness = TokenHarness.Start();
        var device = TestDevice.Create();
        await harness.RegisterAsync(device);
        return (harness, device);
    }

    [Fact]
    public async Task Malformed_jwt_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        using var response = await harness.PrtAsync("not.a.jwt!");
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 9002313);
    }

    [Fact]
    public async Task Signature_by_another_key_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        using var other = RSA.Create(2048);
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword), signer: other));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 50013);
    }

    [Fact]
    public async Task A_certificate_other_than_the_registered_one_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;

        // Same CN (device id), different key pair: a self-made certificate for someone else's device.
        using var impostor = TestDevice.Create(device.DeviceId);
        using var response = await harness.PrtAsync(impostor.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 50155);
    }

    [Fact]
    public async Task A_certificate_with_a_corrupt_rsa_key_is_400_not_500()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;

        // rsaEncryption SPKI whose BIT STRING no longer holds an RSAPublicKey SEQUENCE (tag 0x30 → 0x31).
        var der = device.Certificate.RawData;
        var spki = der.AsSpan().IndexOf(new byte[] { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03 });
        Assert.True(spki > 0);
        var sequence = der.AsSpan(spki + 12).IndexOf((byte)0x30) + spki + 12;
        der[sequence] = 0x31;

        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword), x5c: der));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 9002313);
    }

    [Fact]
    public async Task A_client_id_that_is_no_application_id_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        var payload = TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword);
        payload["client_id"] = "https://other-app.example/audience";
        using var response = await harness.PrtAsync(device.SignRequest(payload));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 700016);
    }

    [Fact]
    public async Task An_unknown_device_is_refused()
    {
        await using var harness = TokenHarness.Start();
        using var device = TestDevice.Create();
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 700003);
    }

    [Fact]
    public async Task A_disabled_device_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        using (var patch = await harness.AdminClient.PatchAsync(Http.Url($"devices/{device.DeviceId:D}"), Http.Json("""{"accountEnabled":false}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 135011);
    }

    [Fact]
    public async Task A_nonce_works_once()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        var nonce = await harness.NonceAsync();
        using (var first = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(nonce, DemoSeed.AliceUpn, DemoSeed.AlicePassword))))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replay = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(nonce, DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        await AssertRefusedAsync(harness, replay, HttpStatusCode.BadRequest, 9002313);
    }

    [Fact]
    public async Task An_expired_or_forged_nonce_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        var nonce = await harness.NonceAsync();
        harness.Factory.Clock.Now += TimeSpan.FromMinutes(5);
        using (var expired = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(nonce, DemoSeed.AliceUpn, DemoSeed.AlicePassword))))
        {
            await AssertRefusedAsync(harness, expired, HttpStatusCode.BadRequest, 9002313);
        }

        var fresh = await harness.NonceAsync();
        var forged = (fresh[0] == 'A' ? "B" : "A") + fresh[1..];
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(forged, DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 9002313);
    }

    [Fact]
    public async Task Wrong_password_unknown_and_disabled_users_are_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        using (var wrong = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, "wrong"))))
        {
            await AssertRefusedAsync(harness, wrong, HttpStatusCode.BadRequest, 50126);
        }

        using (var unknown = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), "nobody@contoso.com", "x"))))
        {
            await AssertRefusedAsync(harness, unknown, HttpStatusCode.BadRequest, 50034);
        }

        var store = harness.Factory.Services.GetRequiredService<IDirectoryAdminStore>();
        var bob = (await store.FindUserAsync(Guid.Parse(DemoSeed.TenantId), DemoSeed.BobUpn))!;
        await store.UpdateUserAsync(Guid.Parse(DemoSeed.TenantId), bob with { AccountEnabled = false });
        using var disabled = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.BobUpn, DemoSeed.BobPassword)));
        await AssertRefusedAsync(harness, disabled, HttpStatusCode.BadRequest, 50057);
    }

    [Fact]
    public async Task A_refresh_token_from_another_device_or_tampered_is_refused()
    {
        var (harness, device) = await RegisteredAsync();
        await using var _ = harness;
        using var __ = device;
        using var other = TestDevice.Create();
        await harness.RegisterAsync(other);
        using var first = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        var prt = (await first.ReadJsonAsync()).GetProperty("refresh_token").GetString()!;

        using (var stolen = await harness.PrtAsync(other.SignRequest(TestDevice.RefreshPayload(await harness.NonceAsync(), prt))))
        {
            await AssertRefusedAsync(harness, stolen, HttpStatusCode.BadRequest, 70000);
        }

        var tampered = prt[..^2] + (prt[^2] == 'A' ? "B" : "A") + prt[^1];
        using (var bad = await harness.PrtAsync(device.SignRequest(TestDevice.RefreshPayload(await harness.NonceAsync(), tampered))))
        {
            await AssertRefusedAsync(harness, bad, HttpStatusCode.BadRequest, 70000);
        }

        harness.Factory.Clock.Now += TimeSpan.FromDays(15);
        using var expired = await harness.PrtAsync(device.SignRequest(TestDevice.RefreshPayload(await harness.NonceAsync(), prt)));
        await AssertRefusedAsync(harness, expired, HttpStatusCode.BadRequest, 700082);
    }

    [Fact]
    public async Task Missing_grant_type_unsupported_grant_and_unknown_tenant_are_refused()
    {
        await using var harness = TokenHarness.Start();
        using (var missing = await harness.Client.PostAsync($"/{DemoSeed.TenantId}/oauth2/token", TokenHarness.Form(("username", "x"))))
        {
            await AssertRefusedAsync(harness, missing, HttpStatusCode.BadRequest, 900144);
        }

        using (var unsupported = await harness.Client.PostAsync($"/{DemoSeed.TenantId}/oauth2/token", TokenHarness.Form(("grant_type", "client_credentials"))))
        {
            await AssertRefusedAsync(harness, unsupported, HttpStatusCode.BadRequest, 70003);
        }

        using var unknown = await harness.Client.PostAsync("/fabrikam.example/oauth2/token", TokenHarness.Form(("grant_type", "srv_challenge")));
        await AssertRefusedAsync(harness, unknown, HttpStatusCode.BadRequest, 90002, logged: false);
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413()
    {
        await using var harness = TokenHarness.Start();
        using var response = await harness.Client.PostAsync($"/{DemoSeed.TenantId}/oauth2/token",
            TokenHarness.Form(("grant_type", "srv_challenge"), ("pad", new string('a', 64 * 1024))));
        await AssertRefusedAsync(harness, response, HttpStatusCode.RequestEntityTooLarge, 90015);
    }

    [Fact]
    public async Task The_password_grant_is_off_unless_the_tenant_enables_it()
    {
        await using var harness = TokenHarness.Start();
        var store = harness.Factory.Services.GetRequiredService<IDirectoryAdminStore>();
        var tenant = (await store.FindTenantAsync(DemoSeed.TenantId))!;
        await store.UpdateTenantAsync(tenant with { Policy = tenant.Policy with { PasswordGrantEnabled = false } });
        using var response = await harness.Client.PostAsync($"/{DemoSeed.TenantId}/oauth2/token", TokenHarness.Form(
            ("grant_type", "password"), ("username", DemoSeed.AliceUpn), ("password", DemoSeed.AlicePassword), ("tgt", "true")));
        await AssertRefusedAsync(harness, response, HttpStatusCode.BadRequest, 70003);

        using var wrongPassword = await harness.Client.PostAsync("/common/oauth2/token", TokenHarness.Form(
            ("grant_type", "password"), ("username", DemoSeed.AliceUpn), ("password", "nope")));
        await AssertRefusedAsync(harness, wrongPassword, HttpStatusCode.BadRequest, 70003);
    }

    [Fact]
    public async Task Get_is_not_allowed()
    {
        await using var harness = TokenHarness.Start();
        using var response = await harness.Client.GetAsync($"/{DemoSeed.TenantId}/oauth2/token");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }
}
