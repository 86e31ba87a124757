using System.Net;
using System.Text.Json;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>
/// tgt_ad through the token endpoint (docs/token-path.md §1.3, §3): the demo tenant's cloud trust for contoso.com
/// gives synced users a partial TGT that the krbtgt_AzureAD key from the admin keytab opens; the replication
/// policy and a removed trust change what the response carries.
/// </summary>
public sealed class PartialTgtTokenTests
{
    private const string Realm = "CONTOSO.COM";

    [Fact]
    public async Task A_synced_user_gets_a_partial_tgt_that_the_exported_krbtgt_azuread_key_opens()
    {
        await using var harness = TokenHarness.Start();
        var (body, sessionKey) = await PasswordPrtAsync(harness);

        var tgtAd = TestDevice.Parse(body.GetProperty("tgt_ad").GetString()!);
        Assert.Equal(Realm, tgtAd.GetProperty("realm").GetString());
        Assert.Equal($"krbtgt/{Realm}", tgtAd.GetProperty("sn").GetString());
        Assert.Equal("alice", tgtAd.GetProperty("cn").GetString());
        Assert.Equal(18, tgtAd.GetProperty("sessionKeyType").GetInt32());
        Assert.Equal(string.Empty, tgtAd.GetProperty("error").GetString());

        var tgt = PrtClient.OpenTgt(tgtAd, PrtClient.ClientKey(tgtAd.GetProperty("clientKey").GetString()!, sessionKey));
        var kvno = ((uint)DemoSeed.CloudTrustRodcNumber << 16) | 1u;
        Assert.Equal(Realm, tgt.Reply.Ticket.Realm);
        Assert.Equal(kvno, tgt.Reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Equal(PrincipalNameType.Principal, tgt.Reply.ClientName.Type);
        Assert.Equal(["alice"], tgt.Reply.ClientName.Components);
        Assert.Equal(Realm, tgt.Reply.ClientRealm);
        Assert.Equal(Realm, tgt.Part.ServerRealm);

        // The key a lab DC loads (admin keytab, entry under the RODC kvno) is the key the ticket is sealed with.
        using var keytabResponse = await harness.AdminClient.GetAsync(Http.Url($"kerberosServers/{DemoSeed.CloudTrustDomain}/keytab"));
        Assert.Equal(HttpStatusCode.OK, keytabResponse.StatusCode);
        var keytab = KeytabFile.Parse(await keytabResponse.Content.ReadAsByteArrayAsync());
        var entry = keytab.Entries.First(e => e.Kvno == kvno && e.Principal.Components[0] == "krbtgt");
        var ticketPart = EncTicketPart.Decode(tgt.Reply.Ticket.EncryptedPart.Decrypt(entry.Key, KeyUsage.TicketEncPart));
        Assert.Equal(["alice"], ticketPart.ClientName.Components);
        Assert.Equal(tgt.SessionKey.Value.ToArray(), ticketPart.Key.ToKey().Value.ToArray());
    }

    [Fact]
    public async Task A_user_the_replication_policy_denies_gets_an_error_and_no_ticket()
    {
        await using var harness = TokenHarness.Start();
        var (first, _) = await PasswordPrtAsync(harness);
        var aliceSid = IdTokenClaims(first).GetProperty("onprem_sid").GetString();

        // Deny alice's own SID (deny wins over the default Domain Users allow).
        using var put = await harness.AdminClient.PutAsync(
            Http.Url($"kerberosServers/{DemoSeed.CloudTrustDomain}"),
            Http.Json($$"""{"rodcNumber": {{DemoSeed.CloudTrustRodcNumber}}, "password": "{{DemoSeed.CloudTrustPassword}}", "deniedGroups": ["{{aliceSid}}"]}"""));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var (body, _) = await PasswordPrtAsync(harness);
        var tgtAd = TestDevice.Parse(body.GetProperty("tgt_ad").GetString()!);
        Assert.Equal(0, tgtAd.GetProperty("keyType").GetInt32());
        Assert.Equal(string.Empty, tgtAd.GetProperty("messageBuffer").GetString());
        Assert.Equal(string.Empty, tgtAd.GetProperty("clientKey").GetString());
        Assert.Contains("denied", tgtAd.GetProperty("error").GetString(), StringComparison.Ordinal);

        // The cloud TGT is unaffected.
        Assert.Equal(18, TestDevice.Parse(body.GetProperty("tgt_cloud").GetString()!).GetProperty("keyType").GetInt32());
    }

    [Fact]
    public async Task Without_a_cloud_trust_the_response_has_no_tgt_ad()
    {
        await using var harness = TokenHarness.Start();
        using var delete = await harness.AdminClient.DeleteAsync(Http.Url($"kerberosServers/{DemoSeed.CloudTrustDomain}"));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var (body, _) = await PasswordPrtAsync(harness);
        Assert.False(body.TryGetProperty("tgt_ad", out _));
        Assert.Equal(18, TestDevice.Parse(body.GetProperty("tgt_cloud").GetString()!).GetProperty("keyType").GetInt32());
    }

    private static async Task<(JsonElement Body, byte[] SessionKey)> PasswordPrtAsync(TokenHarness harness)
    {
        using var device = TestDevice.Create();
        await harness.RegisterAsync(device);
        var nonce = await harness.NonceAsync();
        using var response = await harness.PrtAsync(device.SignRequest(TestDevice.PasswordPayload(nonce, DemoSeed.AliceUpn, DemoSeed.AlicePassword)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        return (body, PrtClient.SessionKey(body.GetProperty("session_key_jwe").GetString()!, device.TransportKey));
    }

    private static JsonElement IdTokenClaims(JsonElement body) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(body.GetProperty("id_token").GetString()!.Split('.')[1])).RootElement.Clone();
}
