using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace KerberosCloudKdc.Server.Tests.Admin;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The real host with the real engine and the memory store (demo seed), a manual clock and a known admin key.</summary>
internal sealed class AdminFactory(string? adminKey = AdminFactory.Key) : WebApplicationFactory<Program>
{
    public const string Key = "test-admin-key-0123456789abcdef";
    public const string Tenant = KerberosCloudKdc.Kdc.Seed.DemoSeed.TenantId;

    public ManualClock Clock { get; } = new(TestData.Now);

    public string DataDirectory { get; } = TestData.TempDirectory();

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CloudKdc:DataDirectory", DataDirectory);
        builder.UseSetting("CloudKdc:PrintBanner", "false");
        builder.UseSetting("CloudKdc:PublicOrigin", "https://login.microsoftonline.com");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        if (adminKey is not null)
        {
            builder.UseSetting("CloudKdc:AdminApiKey", adminKey);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Url(string path) => $"/{AdminFactory.Tenant}/v1.0/{path}";
}

/// <summary>A TGT as the client holds it.</summary>
internal sealed record Tgt(AsRep Reply, EncKdcRepPart Part, KerberosKey SessionKey);

/// <summary>
/// A small Kerberos client over KKDCP (the approach of Kdc.Tests' TestClient): AS-REQ with encrypted
/// timestamp and TGS-REQ with an authenticator, sent to /{tenant}/kerberos.
/// </summary>
internal static class KerberosClient
{
    private sealed class Random1 : IKerberosRandom
    {
        public void Fill(Span<byte> destination) => System.Security.Cryptography.RandomNumberGenerator.Fill(destination);
    }

    private static readonly Random1 Random = new();

    public static KerberosKey UserKey(string upn, string password) =>
        KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, password, CloudRealm.Name + upn);

    public static async Task<byte[]> SendAsync(HttpClient http, byte[] message)
    {
        using var content = new ByteArrayContent(KdcProxyMessage.Wrap(message, KdcProxyFraming.LengthPrefixed, CloudRealm.Name).Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/kerberos");
        using var response = await http.PostAsync($"/{AdminFactory.Tenant}/kerberos", content);
        response.EnsureSuccessStatusCode();
        return KdcProxyMessage.Decode(await response.Content.ReadAsByteArrayAsync()).Unwrap(out _).ToArray();
    }

    public static async Task<byte[]> AsAsync(HttpClient http, string upn, string password, DateTimeOffset now)
    {
        var key = UserKey(upn, password);
        var timestamp = EncryptedData.Encrypt(key, KeyUsage.PaEncTimestamp, new PaEncTsEnc { Timestamp = now, Microseconds = 0 }.Encode(), Random);
        var request = new AsReq
        {
            PaData = [new PaData { Type = PaDataType.EncTimestamp, Value = KerberosAsn1.Encode(timestamp) }],
            Body = new KdcReqBody
            {
                Options = KdcOptions.Forwardable | KdcOptions.Renewable | KdcOptions.Canonicalize,
                ClientName = new PrincipalName(PrincipalNameType.Enterprise, upn),
                Realm = CloudRealm.Name,
                ServerName = PrincipalName.Krbtgt(CloudRealm.Name),
                Till = now.AddDays(1),
                Nonce = 4242,
                EncryptionTypes = [EncryptionType.Aes256CtsHmacSha196],
            },
        };
        return await SendAsync(http, request.Encode());
    }

    public static async Task<Tgt> LoginAsync(HttpClient http, string upn, string password, DateTimeOffset now)
    {
        var reply = await AsAsync(http, upn, password, now);
        Assert.Equal(MessageType.AsRep, KerberosMessage.PeekType(reply));
        var asRep = AsRep.Decode(reply);
        var part = EncKdcRepPart.Decode(asRep.EncryptedPart.Decrypt(UserKey(upn, password), KeyUsage.AsRepEncPart));
        return new Tgt(asRep, part, part.Key.ToKey());
    }

    /// <summary>Asks for a service ticket; returns the raw reply (TGS-REP or KRB-ERROR).</summary>
    public static async Task<byte[]> TgsAsync(HttpClient http, Tgt tgt, string spn, DateTimeOffset now)
    {
        var body = KerberosAsn1.Decode(KerberosAsn1.Encode(new KdcReqBody
        {
            Options = KdcOptions.Forwardable | KdcOptions.Canonicalize,
            Realm = CloudRealm.Name,
            ServerName = new PrincipalName(PrincipalNameType.ServiceInstance, spn.Split('/')),
            Till = now.AddHours(10),
            Nonce = 777,
            EncryptionTypes = [EncryptionType.Aes256CtsHmacSha196],
        }), KdcReqBody.Read);
        var checksumType = KerberosChecksum.ForEncryptionType(tgt.SessionKey.EncryptionType);
        var authenticator = new Authenticator
        {
            ClientRealm = tgt.Reply.ClientRealm,
            ClientName = tgt.Reply.ClientName,
            Checksum = new Checksum { Type = checksumType, Value = KerberosChecksum.Compute(checksumType, tgt.SessionKey, KeyUsage.PaTgsReqChecksum, body.Encoded.Span) },
            ClientMicroseconds = 0,
            ClientTime = now,
            SequenceNumber = 1,
        };
        var apReq = new ApReq
        {
            Ticket = tgt.Reply.Ticket,
            Authenticator = EncryptedData.Encrypt(tgt.SessionKey, KeyUsage.PaTgsReqAuthenticator, authenticator.Encode(), Random),
        };
        var request = new TgsReq { PaData = [new PaData { Type = PaDataType.TgsReq, Value = apReq.Encode() }], Body = body };
        return await SendAsync(http, request.Encode());
    }

    public static KerberosErrorCode? ErrorOf(byte[] reply) =>
        KerberosMessage.PeekType(reply) == MessageType.KrbError ? KrbError.Decode(reply).ErrorCode : null;
}
