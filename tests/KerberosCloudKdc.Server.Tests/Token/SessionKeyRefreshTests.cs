using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Tests.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>The session-key-signed (HS256) PRT refresh of docs/token-path.md §1.2/§1.3, and its refusals.</summary>
public sealed class SessionKeyRefreshTests
{
    private sealed record SignedIn(TokenHarness Harness, TestDevice Device, string Prt, byte[] SessionKey) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Device.Dispose();
            await Harness.DisposeAsync();
        }
    }

    /// <summary>A registered device and Alice's PRT from the device-signed password request.</summary>
    private static async Task<SignedIn> SignInAsync()
    {
        var harness = TokenHarness.Start();
        var device = TestDevice.Create();
        await harness.RegisterAsync(device);
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword)), tgt: "false");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        return new SignedIn(harness, device, body.GetProperty("refresh_token").GetString()!, PrtClient.SessionKey(body.GetProperty("session_key_jwe").GetString()!, device.TransportKey));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, int code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("error_codes")[0].GetInt32());
        Assert.DoesNotContain("refresh_token\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(null)]
    public async Task Hs256_refresh_answers_one_jwe_with_a_new_prt_around_the_same_session_key(int? kdfVersion)
    {
        await using var s = await SignInAsync();
        s.Harness.Factory.Clock.Now += TimeSpan.FromDays(2);
        using var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt), s.SessionKey, kdfVersion));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jose", response.Content.Headers.ContentType?.MediaType);
        var body = SessionKeyClient.Open(await response.Content.ReadAsStringAsync(), s.SessionKey);

        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.False(body.TryGetProperty("session_key_jwe", out _));
        var newPrt = body.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(s.Prt, newPrt);
        Assert.Equal((s.Harness.Factory.Clock.Now.ToUnixTimeSeconds() + 1209599).ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("expires_on").GetString());
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(body.GetProperty("id_token").GetString()!.Split('.')[1])).RootElement;
        Assert.Equal(s.Device.DeviceId.ToString("D"), claims.GetProperty("deviceid").GetString());

        var tgtCloud = TestDevice.Parse(body.GetProperty("tgt_cloud").GetString()!);
        var tgt = PrtClient.OpenTgt(tgtCloud, PrtClient.ClientKey(tgtCloud.GetProperty("clientKey").GetString()!, s.SessionKey));
        Assert.Equal(DemoSeed.AliceUpn, tgt.Reply.ClientName.Components[0]);
        var reply = await KerberosClient.TgsAsync(s.Harness.Client, tgt, TokenHarness.StorageSpn, s.Harness.Factory.Clock.Now);
        Assert.Equal(MessageType.TgsRep, KerberosMessage.PeekType(reply));

        // The new PRT seals the same session key: signing with it renews again, through common.
        using var again = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), newPrt), s.SessionKey), tenant: "common", tgt: "false");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(SessionKeyClient.Open(await again.Content.ReadAsStringAsync(), s.SessionKey).TryGetProperty("tgt_cloud", out _));

        var signIns = await s.Harness.TokenSignInsAsync();
        Assert.Equal("prt:refresh_token", signIns[0].GetProperty("servicePrincipalName").GetString());
        Assert.Equal("tgt_cloud+tgt_ad", signIns[1].GetProperty("servicePrincipalName").GetString());
        Assert.Equal(DemoSeed.AliceUpn, signIns[1].GetProperty("userPrincipalName").GetString());
    }

    [Fact]
    public async Task The_response_jwe_does_not_open_with_a_changed_header()
    {
        await using var s = await SignInAsync();
        using var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt), s.SessionKey));
        var jwe = await response.Content.ReadAsStringAsync();
        SessionKeyClient.Open(jwe, s.SessionKey);

        // Same ctx (so the same derived key), header re-encoded with an extra member: only the AAD differs.
        var parts = jwe.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var altered = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $$"""{"alg":"dir","enc":"A256GCM","ctx":"{{header.GetProperty("ctx").GetString()}}","x":1}"""));
        Assert.ThrowsAny<CryptographicException>(() => SessionKeyClient.Open(string.Join('.', [altered, .. parts[1..]]), s.SessionKey));
        Assert.ThrowsAny<CryptographicException>(() => SessionKeyClient.Open(jwe, RandomNumberGenerator.GetBytes(32)));
    }

    [Fact]
    public async Task A_tampered_signature_a_moved_payload_or_another_session_key_is_refused_with_50013()
    {
        await using var s = await SignInAsync();
        var nonce = await s.Harness.NonceAsync();
        var jwt = SessionKeyClient.Sign(TestDevice.RefreshPayload(nonce, s.Prt), s.SessionKey);
        var flipped = jwt[..^2] + (jwt[^2] == 'A' ? "B" : "A") + jwt[^1];
        using (var response = await s.Harness.PrtAsync(flipped))
        {
            await AssertRefusedAsync(response, 50013);
        }

        // kdf_ver 2 binds the key to the payload: the same signature over another payload (same ctx) fails.
        var parts = jwt.Split('.');
        var payload = TestDevice.RefreshPayload(nonce, s.Prt);
        payload["scope"] = "openid";
        var moved = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];
        using (var response = await s.Harness.PrtAsync(moved))
        {
            await AssertRefusedAsync(response, 50013);
        }

        using (var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(nonce, s.Prt), RandomNumberGenerator.GetBytes(32))))
        {
            await AssertRefusedAsync(response, 50013);
        }

        // None of those consumed the nonce: the signature is checked first.
        using var good = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(nonce, s.Prt), s.SessionKey));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var signIn = (await s.Harness.TokenSignInsAsync())[1];
        Assert.Contains("AADSTS50013", signIn.GetProperty("status").GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_nonce_is_refused()
    {
        await using var s = await SignInAsync();
        var nonce = await s.Harness.NonceAsync();
        using (var first = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(nonce, s.Prt), s.SessionKey)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replay = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(nonce, s.Prt), s.SessionKey));
        await AssertRefusedAsync(replay, 9002313);
    }

    [Fact]
    public async Task An_expired_prt_a_disabled_device_or_another_tenant_is_refused()
    {
        await using var s = await SignInAsync();
        var other = new Tenant { Id = Guid.NewGuid(), DisplayName = "Fabrikam", VerifiedDomains = ["fabrikam.com"] };
        await s.Harness.Factory.Services.GetRequiredService<IDirectoryAdminStore>().AddTenantAsync(other, []);
        using (var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt), s.SessionKey), tenant: other.Id.ToString("D")))
        {
            await AssertRefusedAsync(response, 70000);
        }

        s.Harness.Factory.Clock.Now += TimeSpan.FromDays(15);
        using (var expired = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt), s.SessionKey)))
        {
            await AssertRefusedAsync(expired, 700082);
        }

        s.Harness.Factory.Clock.Now -= TimeSpan.FromDays(15);
        using (var patch = await s.Harness.AdminClient.PatchAsync(Http.Url($"devices/{s.Device.DeviceId:D}"), Http.Json("""{"accountEnabled":false}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        using (var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt), s.SessionKey)))
        {
            await AssertRefusedAsync(response, 135011);
        }

        using (var delete = await s.Harness.AdminClient.DeleteAsync(Http.Url($"devices/{s.Device.DeviceId:D}")))
        {
            Assert.True(delete.IsSuccessStatusCode);
        }

        using (var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt), s.SessionKey)))
        {
            await AssertRefusedAsync(response, 700003);
        }
    }

    [Theory]
    [InlineData("""{"alg":"none","ctx":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdf_ver":2}""", 9002313)]
    [InlineData("""{"alg":"HS512","ctx":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdf_ver":2}""", 9002313)]
    [InlineData("""{"alg":"HS256","kdf_ver":2}""", 9002313)]
    [InlineData("""{"alg":"HS256","ctx":"not base64!","kdf_ver":2}""", 9002313)]
    [InlineData("""{"alg":"HS256","ctx":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdf_ver":3}""", 9002313)]
    [InlineData("""{"alg":"HS256","ctx":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdf_ver":"2"}""", 9002313)]
    public async Task Malformed_session_key_headers_are_refused(string header, int code)
    {
        await using var s = await SignInAsync();
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt).ToJsonString()));
        using var response = await s.Harness.PrtAsync(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + payload + ".c2ln");
        await AssertRefusedAsync(response, code);
    }

    [Fact]
    public async Task An_hs256_request_for_another_grant_or_without_a_prt_is_refused()
    {
        await using var s = await SignInAsync();
        var password = TestDevice.PasswordPayload(await s.Harness.NonceAsync(), DemoSeed.AliceUpn, DemoSeed.AlicePassword);
        password["refresh_token"] = s.Prt;
        using (var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(password, s.SessionKey)))
        {
            await AssertRefusedAsync(response, 70003);
        }

        var payload = TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt);
        payload.Remove("refresh_token");
        using (var response = await s.Harness.PrtAsync(SessionKeyClient.Sign(payload, s.SessionKey)))
        {
            await AssertRefusedAsync(response, 900144);
        }

        var forged = TestDevice.RefreshPayload(await s.Harness.NonceAsync(), s.Prt[..^4] + "AAAA");
        using var bad = await s.Harness.PrtAsync(SessionKeyClient.Sign(forged, s.SessionKey));
        await AssertRefusedAsync(bad, 70000);
    }
}
