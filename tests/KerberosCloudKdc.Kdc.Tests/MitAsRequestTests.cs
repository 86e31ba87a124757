using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

/// <summary>
/// Real MIT kinit 1.20 AS-REQs (Protocol.Tests Golden/mit/aes256-cts-hmac-sha1-96, realm EXAMPLE.TEST) with
/// their padata untouched: PA-FX-COOKIE, PA-AS-FRESHNESS and PA-REQ-ENC-PA-REP must be ignored, and the
/// realm is swapped for ours (the AS-REQ body is not covered by anything the engine checks).
/// </summary>
public class MitAsRequestTests : IAsyncLifetime
{
    private const string NoPreauthHex =
        "6a819f30819ca103020105a20302010aa31a3018300aa10402020096a2020400300aa10402020095a2020400a4743072a00703050000000010a1123010a003020101a10930071b05616c696365a20e1b0c4558414d504c452e54455354a321301fa003020102a11830161b066b72627467741b0c4558414d504c452e54455354a511180f32303236313132353034353431335aa706020430b9f9e2a8053003020112";

    private const string WithPreauthHex =
        "6a81fc3081f9a103020105a20302010aa3773075300da10402020085a20504034d4954304ca103020102a24504433041a003020112a23a0438d7ded9d377d3cfa5b3cd2445f90d035b87a26e4c3c57b2e0c0561a77b6007ece1503ec8012e3807c0adcebcd8a0400a3f4dba7bea3f2aa00300aa10402020096a2020400300aa10402020095a2020400a4743072a00703050000000010a1123010a003020101a10930071b05616c696365a20e1b0c4558414d504c452e54455354a321301fa003020102a11830161b066b72627467741b0c4558414d504c452e54455354a511180f32303236313132353034353431335aa706020414a5bed0a8053003020112";

    /// <summary>alice's key as MIT derived it: password alice-password, salt EXAMPLE.TESTalice.</summary>
    private static readonly KerberosKey MitAliceKey = KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, "alice-password", "EXAMPLE.TESTalice");

    private readonly TestRealm realm = new();

    public Task InitializeAsync() => realm.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Mit_first_request_gets_preauth_required_without_fast()
    {
        var mit = AsReq.Decode(Convert.FromHexString(NoPreauthHex));
        Assert.Contains(mit.PaData!, p => p.Type == PaDataType.AsFreshness);
        Assert.Contains(mit.PaData!, p => p.Type == PaDataType.ReqEncPaRep);

        var error = AssertError(await realm.SendAsync(InOurRealm(mit).Encode()), KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED);
        var methods = PaData.DecodeMethodData(error.Data!.Value);
        Assert.DoesNotContain(methods, m => m.Type == PaDataType.FxFast);
        Assert.DoesNotContain(methods, m => m.Type == PaDataType.FxCookie);
        var entry = Assert.Single(EtypeInfo2Entry.DecodeList(methods.Single(m => m.Type == PaDataType.EtypeInfo2).Value));
        Assert.Equal("KERBEROS.MICROSOFTONLINE.COMalice@contoso.com", entry.Salt);
    }

    [Fact]
    public async Task Mit_preauthenticated_request_gets_a_tgt()
    {
        var mit = AsReq.Decode(Convert.FromHexString(WithPreauthHex));
        Assert.Contains(mit.PaData!, p => p.Type == PaDataType.FxCookie);

        // Give alice the key MIT used, and set the clock to the moment kinit stamped.
        var encrypted = KerberosAsn1.Decode(mit.FindPaData(PaDataType.EncTimestamp)!.Value, EncryptedData.Read);
        realm.Clock.Now = PaEncTsEnc.Decode(encrypted.Decrypt(MitAliceKey, KeyUsage.PaEncTimestamp)).Timestamp;
        await realm.Store.UpdateUserAsync(realm.Tenant.Id, realm.Alice with
        {
            Keys = [new StoredKey { Key = MitAliceKey, Kvno = 1, Salt = "EXAMPLE.TESTalice" }],
        });

        var response = await realm.SendAsync(InOurRealm(mit).Encode());
        var (reply, part) = OpenAsReply(response, MitAliceKey);

        // kinit did not ask for canonicalisation: the name comes back exactly as sent.
        Assert.Equal(mit.Body.ClientName, reply.ClientName);
        Assert.Equal(PrincipalNameType.Principal, reply.ClientName.Type);
        Assert.Equal(mit.Body.Nonce, part.Nonce);

        // RENEWABLE-OK with a 24 h till: a 10 h renewable TGT. No enc-pa-rep flag, since PA-REQ-ENC-PA-REP was ignored.
        Assert.True(part.Flags.HasFlag(TicketFlags.Renewable));
        Assert.False(part.Flags.HasFlag(TicketFlags.EncPaRep));
        Assert.Equal(realm.Clock.Now.AddHours(10), part.EndTime);
        Assert.Null(part.EncryptedPaData);
    }

    private static AsReq InOurRealm(AsReq mit) => new()
    {
        PaData = mit.PaData,
        Body = new KdcReqBody
        {
            Options = mit.Body.Options,
            ClientName = mit.Body.ClientName,
            Realm = CloudRealm.Name,
            ServerName = PrincipalName.Krbtgt(CloudRealm.Name),
            Till = mit.Body.Till,
            Nonce = mit.Body.Nonce,
            EncryptionTypes = mit.Body.EncryptionTypes,
        },
    };
}
