using System.Net;
using System.Net.Http.Headers;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Tests;

public sealed class KdcProxyEndpointTests : IDisposable
{
    private const string TenantPath = "/" + DemoSeed.TenantId + "/kerberos";
    private readonly KdcFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/kerberos");
        return content;
    }

    [Theory]
    [InlineData(KdcProxyFraming.LengthPrefixed)]
    [InlineData(KdcProxyFraming.Bare)]
    public async Task Post_replies_200_with_the_request_framing(KdcProxyFraming framing)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(TenantPath, Body(TestData.ProxyRequest(TestData.AsReq, framing)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/kerberos", response.Content.Headers.ContentType?.MediaType);
        var reply = KdcProxyMessage.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(reply.TargetDomain);
        Assert.Null(reply.DcLocatorHint);
        var expected = framing == KdcProxyFraming.LengthPrefixed ? TcpFraming.Frame(FakeEngine.Reply) : FakeEngine.Reply;
        Assert.Equal(expected, reply.KerbMessage.ToArray());
        Assert.True(factory.Engine.Calls.TryDequeue(out var call));
        Assert.Equal(TestData.AsReq, call.Request);
        Assert.Equal(Guid.Parse(DemoSeed.TenantId), call.Context.Tenant.Id);
    }

    [Fact]
    public async Task Headers_carry_request_id_and_echo_client_request_id()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, TenantPath) { Content = Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed)) };
        request.Headers.Add("client-request-id", "6f1c8a52-3d47-4b1e-9a0c-2e5f7d8b9c10");
        using var response = await client.SendAsync(request);

        var requestId = Assert.Single(response.Headers.GetValues("x-ms-request-id"));
        Assert.True(Guid.TryParse(requestId, out _));
        Assert.Equal("6f1c8a52-3d47-4b1e-9a0c-2e5f7d8b9c10", Assert.Single(response.Headers.GetValues("client-request-id")));
        Assert.True(factory.Engine.Calls.TryDequeue(out var call));
        Assert.Equal(requestId, call.Context.RequestId);
        Assert.Equal(response.Content.Headers.ContentLength, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Hostile_client_request_id_is_not_echoed()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, TenantPath) { Content = Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed)) };
        request.Headers.TryAddWithoutValidation("client-request-id", new string('x', 500));
        using var response = await client.SendAsync(request);
        Assert.False(response.Headers.Contains("client-request-id"));
        Assert.True(response.Headers.Contains("x-ms-request-id"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Non_post_is_405_with_allow(string method)
    {
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), TenantPath));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", Assert.Single(response.Content.Headers.Allow));
        Assert.Empty(factory.Engine.Calls);
    }

    [Fact]
    public async Task Body_over_the_cap_is_413_without_reading_it()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(TenantPath, Body(new byte[(64 * 1024) + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(factory.Engine.Calls);
    }

    public static TheoryData<string, byte[]> BadBodies() => new()
    {
        { "garbage", [1, 2, 3, 4, 5] },
        { "truncated DER", TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed)[..^2] },
        { "kerb-message not Kerberos", KdcProxyMessage.Wrap("hello"u8, KdcProxyFraming.Bare, "KERBEROS.MICROSOFTONLINE.COM").Encode() },
        { "wrong length prefix", new KdcProxyMessage { KerbMessage = new byte[] { 0, 0, 0, 9, 0x6A, 3, 2, 1, 5 }, TargetDomain = "KERBEROS.MICROSOFTONLINE.COM" }.Encode() },
        { "AP-REQ is not for a KDC", TestData.ProxyRequest([0x6E, 0x03, 0x02, 0x01, 0x05], KdcProxyFraming.LengthPrefixed) },
        { "other realm", TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed, "CONTOSO.COM") },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_400_with_short_text(string why, byte[] body)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(TenantPath, Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length < 200, why);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(factory.Engine.Calls);
    }

    [Fact]
    public async Task Target_domain_is_case_insensitive_and_optional()
    {
        using var client = factory.CreateClient();
        using var lower = await client.PostAsync(TenantPath, Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed, "kerberos.microsoftonline.com")));
        using var absent = await client.PostAsync(TenantPath, Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed, null)));
        Assert.Equal(HttpStatusCode.OK, lower.StatusCode);
        Assert.Equal(HttpStatusCode.OK, absent.StatusCode);
    }

    [Theory]
    [InlineData("/00000000-1111-2222-3333-444444444444/kerberos")]
    [InlineData("/fabrikam.com/kerberos")]
    public async Task Unknown_tenant_is_404(string path)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(path, Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(factory.Engine.Calls);
    }

    [Theory]
    [InlineData("/contoso.com/kerberos")]
    [InlineData("/CONTOSO.COM/kerberos")]
    [InlineData("/KdcProxy")]
    [InlineData("/common/kerberos")]
    [InlineData("/organizations/kerberos")]
    [InlineData("/" + DemoSeed.TenantId + "/Kerberos")]
    public async Task Other_paths_reach_the_demo_tenant(string path)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(path, Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(factory.Engine.Calls.TryDequeue(out var call));
        Assert.Equal(Guid.Parse(DemoSeed.TenantId), call.Context.Tenant.Id);
    }

    [Fact]
    public async Task Engine_failure_is_a_framed_generic_krb_error_without_details()
    {
        factory.Engine.Throw = true;
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(TenantPath, Body(TestData.ProxyRequest(TestData.AsReq, KdcProxyFraming.LengthPrefixed)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = KdcProxyMessage.Decode(await response.Content.ReadAsByteArrayAsync()).Unwrap(out var framing);
        Assert.Equal(KdcProxyFraming.LengthPrefixed, framing);
        var error = KrbError.Decode(reply);
        Assert.Equal(KerberosErrorCode.KRB_ERR_GENERIC, error.ErrorCode);
        Assert.DoesNotContain("secret", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoint_answers()
    {
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
    }
}
