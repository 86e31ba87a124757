using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Server.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using CredentialCache = KerberosCloudKdc.Protocol.Files.CredentialCache;

namespace KerberosCloudKdc.Server.Tests.Login;

/// <summary>
/// cloudkdc login in-process, against a plain-HTTP stand-in server on loopback that answers from the contract: the
/// command's wiring, device registration, exit codes and output, including for answers a broken server gives.
/// </summary>
public sealed class LoginCommandTests : IAsyncLifetime
{
    private readonly string directory = TestData.TempDirectory();
    private readonly TokenResponseBuilder builder = new();
    private WebApplication app = null!;
    private Uri baseAddress = null!;
    private RSA? registeredTransportKey;
    private Func<HttpContext, Task>? tokenAnswer;

    private string CachePath => Path.Combine(directory, "ccache");

    public async Task InitializeAsync()
    {
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseUrls("http://127.0.0.1:0");
        app = web.Build();
        app.MapPost("/{tenant}/v1.0/devices", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization != "Bearer test-key")
            {
                return Results.StatusCode(401);
            }

            var body = await JsonNode.ParseAsync(context.Request.Body);
            registeredTransportKey = RSA.Create();
            registeredTransportKey.ImportSubjectPublicKeyInfo(Convert.FromBase64String(body!["transportKey"]!.GetValue<string>()), out _);
            return Results.Json(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["deviceId"] = body["deviceId"]!.DeepClone() }, statusCode: 201);
        });
        app.MapPost("/{tenant}/oauth2/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] == "srv_challenge")
            {
                await context.Response.WriteAsJsonAsync(new JsonObject { ["Nonce"] = "n" });
                return;
            }

            await tokenAnswer!(context);
        });
        await app.StartAsync();
        baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        registeredTransportKey?.Dispose();
    }

    private async Task<(int Code, string Out, string Err)> LoginAsync(string? password, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CloudKdcCli.RunAsync(
            ["login", "--url", baseAddress.ToString(), "--user", TokenResponseBuilder.Upn, "--ccache", CachePath, .. args],
            output,
            error,
            new StringReader(password is null ? string.Empty : password + "\n"));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Register_then_the_prt_flow_writes_the_cache_and_json_without_keys()
    {
        tokenAnswer = context => context.Response.WriteAsJsonAsync(builder.PrtResponse(registeredTransportKey!));

        var (code, output, error) = await LoginAsync(
            "pw", "--password-stdin", "--device", Path.Combine(directory, "device"), "--register", "--api-key", "test-key", "--json");

        Assert.True(code == 0, error);
        var report = JsonNode.Parse(output)!;
        Assert.Equal(CachePath, report["tgt_cloud"]!["ccache"]!.GetValue<string>());
        Assert.Equal("alice@contoso.com", report["id_token"]!["upn"]!.GetValue<string>());
        Assert.Null(report["session_key"]);
        Assert.Null(report["tgt_cloud"]!["clientKey"]);
        Assert.DoesNotContain(Convert.ToBase64String(builder.SessionKey), output, StringComparison.Ordinal);
        var cache = await CredentialCache.ReadAsync(CachePath);
        Assert.Equal(builder.TgtSessionKey, Assert.Single(cache.Credentials).Key.Value.ToArray());
    }

    [Fact]
    public async Task Show_keys_adds_the_keys()
    {
        tokenAnswer = context => context.Response.WriteAsJsonAsync(builder.PasswordGrantResponse());

        var (code, output, error) = await LoginAsync("pw", "--password-stdin", "--password-grant", "--json", "--show-keys");

        Assert.True(code == 0, error);
        Assert.Equal(Convert.ToBase64String(builder.CloudClientKey), JsonNode.Parse(output)!["tgt_cloud"]!["clientKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_api_key_fails_registration_with_exit_code_1()
    {
        var (code, _, error) = await LoginAsync("pw", "--password-stdin", "--device", Path.Combine(directory, "device"), "--register", "--api-key", "nope");

        Assert.Equal(1, code);
        Assert.Contains("refused the admin API key", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, "<html>not json</html>", "not a JSON object")]
    [InlineData(500, "", "HTTP 500")]
    [InlineData(400, """{"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials.\r\nTrace ID: x"}""", "AADSTS50126: Error validating credentials.")]
    [InlineData(200, """{"tgt_cloud":"{\"keyType\":0,\"error\":\"cloud-only users are not served\"}"}""", "no cloud TGT: cloud-only users are not served")]
    [InlineData(200, """{"tgt_cloud":"{\"keyType\":18,\"clientKey\":\"AAAA\",\"messageBuffer\":\"AAAA\"}"}""", "tgt_cloud: the client key has 3 bytes")]
    public async Task A_bad_answer_is_one_line_on_stderr_and_exit_code_1(int status, string body, string expected)
    {
        tokenAnswer = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        };

        var (code, output, error) = await LoginAsync("pw", "--password-stdin", "--password-grant");

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("cloudkdc: login: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(CachePath));
    }

    [Fact]
    public async Task No_password_on_stdin_is_exit_code_1()
    {
        var (code, _, error) = await LoginAsync(null, "--password-stdin", "--password-grant");

        Assert.Equal(1, code);
        Assert.Contains("no password", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--register")]
    [InlineData("--ccache", "KEYRING:persistent:0")]
    public async Task Usage_errors_are_exit_code_2(params string[] extra)
    {
        var (code, _, _) = await LoginAsync("pw", ["--password-stdin", "--password-grant", .. extra]);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Without_a_url_login_is_a_usage_error()
    {
        var error = new StringWriter();
        var code = await CloudKdcCli.RunAsync(["login", "--user", "a@contoso.com", "--password-stdin"], new StringWriter(), error, new StringReader("pw\n"));

        Assert.Equal(2, code);
        Assert.Contains("--url", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("login --user a@b.c")]
    [InlineData("--json login")]
    [InlineData("--password-stdin login")]
    public void Login_routes_to_the_cli(string args) => Assert.True(CloudKdcCli.Route(args.Split(' ')).IsCli);

    [Fact]
    public void The_default_cache_follows_krb5ccname_when_it_is_a_file()
    {
        Assert.Equal("/x/cc", KerberosCloudKdc.Server.Login.CcacheLocation.Default("FILE:/x/cc", "1000"));
        Assert.Equal("/x/cc", KerberosCloudKdc.Server.Login.CcacheLocation.Default("/x/cc", "1000"));
        Assert.Equal("/tmp/krb5cc_1000", KerberosCloudKdc.Server.Login.CcacheLocation.Default("KEYRING:persistent:1000", "1000"));
        Assert.Equal("/tmp/krb5cc_1000", KerberosCloudKdc.Server.Login.CcacheLocation.Default(null, "1000"));
    }

    private string DeviceDirectory => Path.Combine(directory, "device");

    /// <summary>A device login that stores the PRT, then the stand-in answers HS256 renewals with a JWE around a new PRT.</summary>
    private async Task<List<string>> SignInThenAnswerRefreshesAsync()
    {
        tokenAnswer = context => context.Response.WriteAsJsonAsync(builder.PrtResponse(registeredTransportKey!));
        var (code, _, error) = await LoginAsync("pw", "--password-stdin", "--device", DeviceDirectory, "--register", "--api-key", "test-key");
        Assert.True(code == 0, error);

        var requests = new List<string>();
        tokenAnswer = async context =>
        {
            requests.Add((await context.Request.ReadFormAsync())["request"].ToString());
            var answer = builder.PrtResponse(registeredTransportKey!);
            answer.Remove("session_key_jwe");
            answer["refresh_token"] = "renewed-prt-" + requests.Count;
            context.Response.ContentType = "application/jose";
            await context.Response.WriteAsync(TokenResponseBuilder.SealAnswer(builder.SessionKey, answer));
        };
        return requests;
    }

    [Fact]
    public async Task A_device_login_keeps_the_prt_owner_only_and_refresh_renews_it_without_a_password()
    {
        var requests = await SignInThenAnswerRefreshesAsync();
        var store = Path.Combine(DeviceDirectory, "prt.json");
        Assert.Contains("opaque-prt", await File.ReadAllTextAsync(store), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }

        File.Delete(CachePath);
        var (code, output, error) = await LoginAsync(null, "--refresh", "--device", DeviceDirectory, "--json", "--show-keys");

        Assert.True(code == 0, error);
        var cache = await CredentialCache.ReadAsync(CachePath);
        Assert.Equal(builder.TgtSessionKey, Assert.Single(cache.Credentials).Key.Value.ToArray());
        var report = JsonNode.Parse(output)!;
        Assert.Equal(Convert.ToBase64String(builder.SessionKey), report["session_key"]!.GetValue<string>());
        Assert.DoesNotContain("prt", output.Replace("refresh_token_received", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        // The request, checked by hand: HS256, kdf_ver 2, key = KDF(session key, SHA256(ctx || payload bytes)), the stored PRT.
        var parts = Assert.Single(requests).Split('.');
        var header = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]))!;
        Assert.Equal("HS256", header["alg"]!.GetValue<string>());
        Assert.Equal(2, header["kdf_ver"]!.GetValue<int>());
        var ctx = Convert.FromBase64String(header["ctx"]!.GetValue<string>());
        Assert.Equal(24, ctx.Length);
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]);
        var claims = JsonNode.Parse(payload)!;
        Assert.Equal("refresh_token", claims["grant_type"]!.GetValue<string>());
        Assert.Equal("opaque-prt", claims["refresh_token"]!.GetValue<string>());
        Assert.Equal("n", claims["request_nonce"]!.GetValue<string>());
        var key = TokenResponseBuilder.DeriveKeyByHand(builder.SessionKey, SHA256.HashData([.. ctx, .. payload]));
        Assert.Equal(
            System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]),
            HMACSHA256.HashData(key, System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));

        // The renewed PRT replaced the old one, and the next refresh presents it.
        Assert.Contains("renewed-prt-1", await File.ReadAllTextAsync(store), StringComparison.Ordinal);
        (code, output, error) = await LoginAsync(null, "--refresh", "--device", DeviceDirectory);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("renewed-prt", output, StringComparison.Ordinal);
        var second = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(requests[1].Split('.')[1]))!;
        Assert.Equal("renewed-prt-1", second["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_without_a_stored_prt_is_one_line_and_exit_code_1()
    {
        var (code, output, error) = await LoginAsync(null, "--refresh", "--device", DeviceDirectory);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("cloudkdc: login: no stored PRT for alice@contoso.com", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_refused_refresh_or_an_answer_that_does_not_open_is_exit_code_1()
    {
        await SignInThenAnswerRefreshesAsync();
        tokenAnswer = async context =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired.\r\nTrace ID: x"}""");
        };
        File.Delete(CachePath);

        var (code, _, error) = await LoginAsync(null, "--refresh", "--device", DeviceDirectory);
        Assert.Equal(1, code);
        Assert.Equal("cloudkdc: login: AADSTS700082: The refresh token has expired.", error.TrimEnd());
        Assert.False(File.Exists(CachePath));

        // A JWE sealed under some other key: the tag does not verify.
        tokenAnswer = context => context.Response.WriteAsync(TokenResponseBuilder.SealAnswer(RandomNumberGenerator.GetBytes(32), builder.PrtResponse(registeredTransportKey!)));
        (code, _, error) = await LoginAsync(null, "--refresh", "--device", DeviceDirectory);
        Assert.Equal(1, code);
        Assert.Contains("the refresh answer does not decrypt with the PRT session key", error, StringComparison.Ordinal);
        Assert.False(File.Exists(CachePath));
    }

    [Fact]
    public async Task A_prt_store_others_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await SignInThenAnswerRefreshesAsync();
        File.SetUnixFileMode(Path.Combine(DeviceDirectory, "prt.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var (code, _, error) = await LoginAsync(null, "--refresh", "--device", DeviceDirectory);
        Assert.Equal(1, code);
        Assert.Contains("chmod 600", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--password-stdin")]
    [InlineData("--password-grant")]
    [InlineData("--register")]
    public async Task Refresh_with_password_options_is_a_usage_error(string extra)
    {
        var (code, _, _) = await LoginAsync("pw", "--refresh", extra);

        Assert.Equal(2, code);
    }
}
