using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>The happy paths of docs/token-path.md §1, end to end on the real host, decoded the way a client does.</summary>
public sealed class PrtFlowTests
{
    [Fact]
    public async Task Password_prt_gives_a_cloud_tgt_that_gets_a_storage_ticket()
    {
        await using var harness = TokenHarness.Start();
        using var device = TestDevice.Create();
        await harness.RegisterAsync(device);

        var nonce = await harness.NonceAsync();
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(nonce, DemoSeed.AliceUpn, DemoSeed.AlicePassword)), tgt: "True");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();

        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("1209599", body.GetProperty("expires_in").GetString());
        Assert.Equal("0", body.GetProperty("ext_expires_in").GetString());
        Assert.Equal((harness.Factory.Clock.Now.ToUnixTimeSeconds() + 1209599).ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("expires_on").GetString());
        Assert.Equal(1209600, body.GetProperty("refresh_token_expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        Assert.StartsWith(".windows.net,", body.GetProperty("kerberos_top_level_names").GetString(), StringComparison.Ordinal);

        var clientInfo = JsonDocument.Parse(Base64Url.DecodeFromChars(body.GetProperty("client_info").GetString())).RootElement;
        Assert.Equal(DemoSeed.TenantId, clientInfo.GetProperty("utid").GetString());

        // id_token: signed with the JWKS key, v1 issuer, the device id.
        var idToken = body.GetProperty("id_token").GetString()!.Split('.');
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(idToken[1])).RootElement;
        Assert.Equal($"https://sts.windows.net/{DemoSeed.TenantId}/", claims.GetProperty("iss").GetString());
        Assert.Equal(DemoSeed.AliceUpn, claims.GetProperty("upn").GetString());
        Assert.Equal(device.DeviceId.ToString("D"), claims.GetProperty("deviceid").GetString());
        Assert.Equal(clientInfo.GetProperty("uid").GetString(), claims.GetProperty("oid").GetString());
        Assert.StartsWith("S-1-5-21-", claims.GetProperty("onprem_sid").GetString(), StringComparison.Ordinal);
        var jwks = await (await harness.Client.GetAsync($"/{DemoSeed.TenantId}/discovery/keys")).ReadJsonAsync();
        var jwk = jwks.GetProperty("keys")[0];
        var idHeader = JsonDocument.Parse(Base64Url.DecodeFromChars(idToken[0])).RootElement;
        Assert.Equal(jwk.GetProperty("kid").GetString(), idHeader.GetProperty("kid").GetString());
        using (var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(jwk.GetProperty("n").GetString()), Exponent = Base64Url.DecodeFromChars(jwk.GetProperty("e").GetString()) }))
        {
            Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(idToken[0] + "." + idToken[1]), Base64Url.DecodeFromChars(idToken[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        // The Kerberos part: session key → clientKey → AS-REP (usage 3) → TGS-REQ through KKDCP.
        var sessionKey = PrtClient.SessionKey(body.GetProperty("session_key_jwe").GetString()!, device.TransportKey);
        Assert.Equal(32, sessionKey.Length);
        var tgtCloud = TestDevice.Parse(body.GetProperty("tgt_cloud").GetString()!);
        Assert.Equal("KERBEROS.MICROSOFTONLINE.COM", tgtCloud.GetProperty("realm").GetString());
        Assert.Equal("krbtgt/KERBEROS.MICROSOFTONLINE.COM", tgtCloud.GetProperty("sn").GetString());
        Assert.Equal(DemoSeed.AliceUpn, tgtCloud.GetProperty("cn").GetString());
        Assert.Equal(18, tgtCloud.GetProperty("sessionKeyType").GetInt32());
        Assert.Equal(0, tgtCloud.GetProperty("accountType").GetInt32());
        Assert.Equal(string.Empty, tgtCloud.GetProperty("error").GetString());
        var clientKey = PrtClient.ClientKey(tgtCloud.GetProperty("clientKey").GetString()!, sessionKey);
        Assert.Equal(32, clientKey.Length);
        var tgt = PrtClient.OpenTgt(tgtCloud, clientKey);
        Assert.Equal(PrincipalNameType.Enterprise, tgt.Reply.ClientName.Type);
        Assert.Equal(DemoSeed.AliceUpn, tgt.Reply.ClientName.Components[0]);

        var reply = await KerberosClient.TgsAsync(harness.Client, tgt, TokenHarness.StorageSpn, harness.Factory.Clock.Now);
        Assert.Null(KerberosClient.ErrorOf(reply));
        Assert.Equal(MessageType.TgsRep, KerberosMessage.PeekType(reply));

        // The PRT sealing key lives in the data directory, owner-only.
        var prtKey = Path.Combine(harness.Factory.DataDirectory, "tokens", "prt.key");
        Assert.True(File.Exists(prtKey));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prtKey));
        }

        var signIn = Assert.Single(await harness.TokenSignInsAsync());
        Assert.Equal(DemoSeed.AliceUpn, signIn.GetProperty("userPrincipalName").GetString());
        Assert.Equal("tgt_cloud+tgt_ad", signIn.GetProperty("servicePrincipalName").GetString());
        Assert.Null(signIn.GetProperty("status").GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task Refresh_token_grant_keeps_the_session_key_and_issues_a_new_tgt()
    {
        await using var harness = TokenHarness.Start();
        using var device = TestDevice.Create();
        await harness.RegisterAsync(device);
        using var first = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.BobUpn, DemoSeed.BobPassword)), tgt: "false");
        var firstBody = await first.ReadJsonAsync();
        Assert.False(firstBody.TryGetProperty("tgt_cloud", out _));
        var sessionKey = PrtClient.SessionKey(firstBody.GetProperty("session_key_jwe").GetString()!, device.TransportKey);

        harness.Factory.Clock.Now += TimeSpan.FromDays(3);
        using var second = await harness.PrtAsync(device.SignRequest(TestDevice.RefreshPayload(await harness.NonceAsync(DemoSeed.TenantId), firstBody.GetProperty("refresh_token").GetString()!)), tenant: "common");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await second.ReadJsonAsync();
        Assert.Equal(sessionKey, PrtClient.SessionKey(body.GetProperty("session_key_jwe").GetString()!, device.TransportKey));
        Assert.NotEqual(firstBody.GetProperty("refresh_token").GetString(), body.GetProperty("refresh_token").GetString());
        var tgtCloud = TestDevice.Parse(body.GetProperty("tgt_cloud").GetString()!);
        var tgt = PrtClient.OpenTgt(tgtCloud, PrtClient.ClientKey(tgtCloud.GetProperty("clientKey").GetString()!, sessionKey));
        Assert.Equal(DemoSeed.BobUpn, tgt.Reply.ClientName.Components[0]);
        Assert.Equal(harness.Factory.Clock.Now, tgt.Part.AuthTime);
    }

    [Fact]
    public async Task Lab_password_grant_returns_a_plain_client_key()
    {
        await using var harness = TokenHarness.Start();
        using var response = await harness.Client.PostAsync("/common/oauth2/v2.0/token", TokenHarness.Form(
            ("grant_type", "password"), ("client_id", "3c2b1a00-0000-0000-0000-000000000001"), ("username", DemoSeed.AliceUpn),
            ("password", DemoSeed.AlicePassword), ("tgt", "true"), ("scope", "openid")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.False(body.TryGetProperty("session_key_jwe", out _));
        var tgtCloud = TestDevice.Parse(body.GetProperty("tgt_cloud").GetString()!);
        var tgt = PrtClient.OpenTgt(tgtCloud, Convert.FromBase64String(tgtCloud.GetProperty("clientKey").GetString()!));
        var reply = await KerberosClient.TgsAsync(harness.Client, tgt, TokenHarness.StorageSpn, harness.Factory.Clock.Now);
        Assert.Equal(MessageType.TgsRep, KerberosMessage.PeekType(reply));
        Assert.Equal("tgt_cloud+tgt_ad", Assert.Single(await harness.TokenSignInsAsync()).GetProperty("servicePrincipalName").GetString());
    }

    [Fact]
    public async Task A_cloud_only_user_gets_a_prt_and_a_tgt_cloud_without_ticket()
    {
        await using var harness = TokenHarness.Start();
        using var device = TestDevice.Create();
        await harness.RegisterAsync(device);
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(await harness.NonceAsync(), DemoSeed.CarolUpn, DemoSeed.CarolPassword)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tgtCloud = TestDevice.Parse((await response.ReadJsonAsync()).GetProperty("tgt_cloud").GetString()!);
        Assert.Equal(0, tgtCloud.GetProperty("keyType").GetInt32());
        Assert.Equal(string.Empty, tgtCloud.GetProperty("messageBuffer").GetString());
        Assert.Equal(string.Empty, tgtCloud.GetProperty("clientKey").GetString());
        Assert.Contains("not synced", tgtCloud.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
