using System.Net;
using CredentialCache = KerberosCloudKdc.Protocol.Files.CredentialCache;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Login;

namespace KerberosCloudKdc.Server.Tests.Login;

/// <summary>The flow against a handler that answers as the contract says, then as a broken or hostile server would.</summary>
public sealed class LoginFlowTests : IAsyncLifetime
{
    private readonly string directory = TestData.TempDirectory();
    private readonly TokenResponseBuilder server = new();
    private DeviceIdentity device = null!;

    public async Task InitializeAsync() => (device, _) = await DeviceIdentity.LoadOrCreateAsync(Path.Combine(directory, "device"), CancellationToken.None);

    public Task DisposeAsync()
    {
        device.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<(LoginOutcome Outcome, FakeTokenEndpoint Endpoint)> RunAsync(Func<HttpResponseMessage> answer, DeviceIdentity? device)
    {
        var endpoint = new FakeTokenEndpoint(answer);
        using var http = new HttpClient(endpoint);
        var flow = new LoginFlow(new TokenEndpointClient(http, new Uri("https://kdc.test/")), TimeProvider.System);
        var outcome = await flow.RunAsync(
            new LoginRequest { Tenant = "contoso.com", Username = TokenResponseBuilder.Upn, Password = "Alice-Pw", Device = device }, CancellationToken.None);
        return (outcome, endpoint);
    }

    private async Task<LoginException> FailsAsync(Func<HttpResponseMessage> answer, DeviceIdentity? withDevice = null) =>
        await Assert.ThrowsAsync<LoginException>(() => RunAsync(answer, withDevice ?? device));

    [Fact]
    public async Task The_prt_flow_opens_tgt_cloud_and_the_ccache_reads_back()
    {
        var (outcome, endpoint) = await RunAsync(() => FakeTokenEndpoint.Json(server.PrtResponse(device.TransportKey)), device);

        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal("https://kdc.test/contoso.com/oauth2/token", endpoint.Requests[0].Uri.ToString());
        var prtRequest = endpoint.Requests[1].Form;
        Assert.Equal(LoginFlow.JwtBearerGrant, prtRequest["grant_type"]);
        Assert.Equal("true", prtRequest["tgt"]);
        Assert.Equal("1", prtRequest["client_info"]);
        Assert.Equal(3, prtRequest["request"].Split('.').Length);
        Assert.DoesNotContain("password", prtRequest.Keys);

        Assert.Equal(server.SessionKey, outcome.SessionKey);
        var ticket = outcome.Cloud.Ticket!;
        Assert.Equal(server.CloudClientKey, ticket.ClientKey);
        Assert.Null(outcome.OnPremises);

        var path = Path.Combine(directory, "ccache");
        await ticket.ToCache().WriteAsync(path);
        var cache = await CredentialCache.ReadAsync(path);
        var credential = Assert.Single(cache.Credentials);
        Assert.Equal(TokenResponseBuilder.Realm, cache.DefaultRealm);
        Assert.Equal(new PrincipalName(PrincipalNameType.Enterprise, TokenResponseBuilder.Upn), cache.DefaultPrincipal);
        Assert.Equal(PrincipalName.Krbtgt(TokenResponseBuilder.Realm), credential.Server);
        Assert.Equal(TokenResponseBuilder.Realm, credential.ServerRealm);
        Assert.Equal(server.TgtSessionKey, credential.Key.Value.ToArray());
        Assert.Equal(TokenResponseBuilder.AuthTime, credential.AuthTime);
        Assert.Equal(TokenResponseBuilder.AuthTime.AddHours(10), credential.EndTime);
        Assert.Equal(TokenResponseBuilder.AuthTime.AddDays(7), credential.RenewTill);
        Assert.NotEqual(0u, credential.TicketFlags & (uint)TicketFlags.Initial);
        Assert.Equal(0x61, credential.Ticket.Span[0]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task The_password_grant_takes_a_plain_client_key_without_a_device()
    {
        var (outcome, endpoint) = await RunAsync(() => FakeTokenEndpoint.Json(server.PasswordGrantResponse()), device: null);

        var request = Assert.Single(endpoint.Requests).Form;
        Assert.Equal("password", request["grant_type"]);
        Assert.Equal("Alice-Pw", request["password"]);
        Assert.Null(outcome.SessionKey);
        Assert.Equal(server.TgtSessionKey, outcome.Cloud.Ticket!.Part.Key.KeyValue.ToArray());
    }

    [Fact]
    public async Task A_tgt_ad_without_a_ticket_is_reported_and_the_cloud_tgt_kept()
    {
        var response = server.PrtResponse(device.TransportKey);
        response["tgt_ad"] = TokenResponseBuilder.Envelope(string.Empty, 0, string.Empty, "CONTOSO.COM", "user is not synced from on-premises AD");

        var (outcome, _) = await RunAsync(() => FakeTokenEndpoint.Json(response), device);

        Assert.NotNull(outcome.Cloud.Ticket);
        Assert.Null(outcome.OnPremises!.Ticket);
        Assert.Equal("user is not synced from on-premises AD", outcome.OnPremises.Error);
    }

    [Fact]
    public async Task A_tgt_ad_is_opened_with_its_own_client_key()
    {
        var response = server.PrtResponse(device.TransportKey);
        var adKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        response["tgt_ad"] = TokenResponseBuilder.Envelope(
            TokenResponseBuilder.ClientKeyJwe(server.SessionKey, adKey), 18, Convert.ToBase64String(server.AsRep(adKey, "CONTOSO.COM")), "CONTOSO.COM");

        var (outcome, _) = await RunAsync(() => FakeTokenEndpoint.Json(response), device);

        Assert.Equal("CONTOSO.COM", outcome.OnPremises!.Ticket!.Part.ServerRealm);
        Assert.Equal(adKey, outcome.OnPremises.Ticket.ClientKey);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData(" ")]
    public async Task An_entra_error_shows_the_first_line_of_error_description(string separator)
    {
        var error = new JsonObject
        {
            ["error"] = "invalid_grant",
            ["error_description"] = $"AADSTS50126: Error validating credentials due to invalid username or password.{separator}Trace ID: 1{separator}Correlation ID: 2{separator}Timestamp: 3",
            ["error_codes"] = new JsonArray(50126),
        };

        var e = await FailsAsync(() => FakeTokenEndpoint.Json(error, HttpStatusCode.BadRequest));

        Assert.Equal("AADSTS50126: Error validating credentials due to invalid username or password.", e.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "<html>proxy says hello</html>")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>")]
    [InlineData(HttpStatusCode.OK, "[1,2,3]")]
    [InlineData(HttpStatusCode.OK, "")]
    public async Task A_non_json_answer_is_a_clear_error(HttpStatusCode status, string body)
    {
        var e = await FailsAsync(() => FakeTokenEndpoint.Text(body, status));

        Assert.Contains($"HTTP {(int)status}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_session_key_jwe_is_named()
    {
        var response = server.PrtResponse(device.TransportKey);
        response.Remove("session_key_jwe");

        Assert.Contains("session_key_jwe", (await FailsAsync(() => FakeTokenEndpoint.Json(response))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tgt_cloud_is_named()
    {
        var response = server.PrtResponse(device.TransportKey);
        response.Remove("tgt_cloud");

        Assert.Contains("no tgt_cloud", (await FailsAsync(() => FakeTokenEndpoint.Json(response))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tgt_cloud_with_key_type_0_fails_with_its_error()
    {
        var response = server.PrtResponse(device.TransportKey);
        response["tgt_cloud"] = TokenResponseBuilder.Envelope(string.Empty, 0, string.Empty, TokenResponseBuilder.Realm, "cloud-only users are not served");

        var e = await FailsAsync(() => FakeTokenEndpoint.Json(response));

        Assert.Equal("no cloud TGT: cloud-only users are not served", e.Message);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"keyType\":\"eighteen\"}")]
    [InlineData("{\"keyType\":23,\"clientKey\":\"\",\"messageBuffer\":\"\"}")]
    [InlineData("{\"keyType\":18,\"clientKey\":\"x\",\"messageBuffer\":\"AAAA\"}")]
    public async Task A_malformed_tgt_cloud_is_a_clear_error(string envelope)
    {
        var response = server.PrtResponse(device.TransportKey);
        response["tgt_cloud"] = envelope;

        Assert.StartsWith("tgt_cloud", (await FailsAsync(() => FakeTokenEndpoint.Json(response))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_base64_in_message_buffer_is_named()
    {
        var response = server.PasswordGrantResponse();
        response["tgt_cloud"] = TokenResponseBuilder.Envelope(Convert.ToBase64String(server.CloudClientKey), 18, "%%% not base64", TokenResponseBuilder.Realm);

        var e = await Assert.ThrowsAsync<LoginException>(() => RunAsync(() => FakeTokenEndpoint.Json(response), device: null));
        Assert.Equal("tgt_cloud messageBuffer is not valid base64", e.Message);
    }

    [Fact]
    public async Task An_as_rep_under_another_key_fails_the_integrity_check()
    {
        var response = server.PasswordGrantResponse();
        var wrongKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        response["tgt_cloud"] = TokenResponseBuilder.Envelope(Convert.ToBase64String(wrongKey), 18, Convert.ToBase64String(server.AsRep(server.CloudClientKey)), TokenResponseBuilder.Realm);

        var e = await Assert.ThrowsAsync<LoginException>(() => RunAsync(() => FakeTokenEndpoint.Json(response), device: null));
        Assert.Contains("does not decode or decrypt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_time_a_ccache_cannot_hold_is_a_clear_error()
    {
        var response = server.PasswordGrantResponse();
        var asRep = server.AsRep(server.CloudClientKey, endTime: new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero));
        response["tgt_cloud"] = TokenResponseBuilder.Envelope(Convert.ToBase64String(server.CloudClientKey), 18, Convert.ToBase64String(asRep), TokenResponseBuilder.Realm);

        var e = await Assert.ThrowsAsync<LoginException>(() => RunAsync(() => FakeTokenEndpoint.Json(response), device: null));
        Assert.Contains("cannot be stored in a credential cache", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_as_rep_for_a_service_rather_than_a_krbtgt_is_refused()
    {
        var response = server.PasswordGrantResponse();
        var asRep = server.AsRep(server.CloudClientKey, serverName: new PrincipalName(PrincipalNameType.ServiceInstance, "cifs", "demoaccount.file.core.windows.net"));
        response["tgt_cloud"] = TokenResponseBuilder.Envelope(Convert.ToBase64String(server.CloudClientKey), 18, Convert.ToBase64String(asRep), TokenResponseBuilder.Realm);

        var e = await Assert.ThrowsAsync<LoginException>(() => RunAsync(() => FakeTokenEndpoint.Json(response), device: null));
        Assert.Contains("not a krbtgt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_sealed_for_another_device_is_refused()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);

        var e = await FailsAsync(() => FakeTokenEndpoint.Json(server.PrtResponse(other)));

        Assert.Contains("transport key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_srv_challenge_without_a_nonce_stops_before_the_password_is_sent()
    {
        var handler = new NoNonceHandler();
        using var http = new HttpClient(handler);
        var flow = new LoginFlow(new TokenEndpointClient(http, new Uri("https://kdc.test/")), TimeProvider.System);

        var e = await Assert.ThrowsAsync<LoginException>(() => flow.RunAsync(
            new LoginRequest { Tenant = "contoso.com", Username = "a@contoso.com", Password = "x", Device = device }, CancellationToken.None));
        Assert.Contains("Nonce", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    private sealed class NoNonceHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(FakeTokenEndpoint.Json(new JsonObject { ["nonce"] = 5 }));
        }
    }
}
