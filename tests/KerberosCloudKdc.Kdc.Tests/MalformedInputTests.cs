using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Messages;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

public class MalformedInputTests : IAsyncLifetime
{
    private readonly TestRealm realm = new();

    public Task InitializeAsync() => realm.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(4096)]
    public async Task Random_bytes_get_a_generic_error(int length)
    {
        var bytes = new byte[length];
        new SeededRandom(length).Fill(bytes);
        if (length > 0)
        {
            // Not an [APPLICATION n] tag: a blob that happens to start like an AP-REP gets KRB_AP_ERR_MSG_TYPE instead.
            bytes[0] = 0x04;
        }

        var response = await realm.SendAsync(bytes);

        var error = AssertError(response, KerberosErrorCode.KRB_ERR_GENERIC);
        Assert.Equal("malformed request", error.Text);
        Assert.Null(response.Outcome.RequestType);
    }

    [Fact]
    public async Task Every_truncation_of_a_real_request_gets_a_krb_error()
    {
        var tgt = await LoginAsync(realm);
        var request = TgsRequest(tgt, Service(TestRealm.FilesSpn), realm.Clock.Now).Encode();
        for (var length = 0; length < request.Length; length += 7)
        {
            var response = await realm.SendAsync(request[..length]);
            Assert.False(response.Outcome.Succeeded);
            Assert.Equal(MessageType.KrbError, KerberosMessage.PeekType(response.Reply));
            KrbError.Decode(response.Reply);
        }
    }

    [Fact]
    public async Task Truncated_as_request_is_malformed()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), null, realm.Clock.Now).Encode();
        AssertError(await realm.SendAsync(request[..(request.Length - 3)]), KerberosErrorCode.KRB_ERR_GENERIC);
    }

    [Fact]
    public async Task Other_kerberos_messages_are_the_wrong_type()
    {
        var tgt = await LoginAsync(realm);
        var apReq = TgsRequest(tgt, Service(TestRealm.FilesSpn), realm.Clock.Now).PaData![0].Value.ToArray();
        var response = await realm.SendAsync(apReq);
        AssertError(response, KerberosErrorCode.KRB_AP_ERR_MSG_TYPE);
        Assert.Equal(MessageType.ApReq, response.Outcome.RequestType);

        AssertError(await realm.SendAsync(tgt.Reply.Encode()), KerberosErrorCode.KRB_AP_ERR_MSG_TYPE);
    }

    [Fact]
    public async Task Garbage_pa_enc_timestamp_is_a_krb_error()
    {
        var request = AsRequest(
            Enterprise("alice@contoso.com"),
            null,
            realm.Clock.Now,
            extraPaData: [new PaData { Type = PaDataType.EncTimestamp, Value = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 } }]);
        var response = await realm.SendAsync(request.Encode());
        Assert.False(response.Outcome.Succeeded);
        KrbError.Decode(response.Reply);
    }
}
