using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

/// <summary>Cases found in review: what MIT rejects, what configuration can break, what a hostile name can do.</summary>
public class HardeningTests
{
    private static readonly KerberosKey AliceKey = TestRealm.UserKey("alice@contoso.com");

    [Fact]
    public async Task As_reply_renew_till_never_exceeds_the_requested_rtime()
    {
        // kinit -l 10h -r 1h: MIT rejects a reply whose renew-till passes its rtime (KRB5_KDCREP_MODIFIED).
        var realm = new TestRealm();
        await realm.InitializeAsync();
        var now = realm.Clock.Now;
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, now, KdcOptions.Renewable | KdcOptions.Canonicalize, till: now.AddHours(10), renewTill: now.AddHours(1));

        var (_, part) = OpenAsReply(await realm.SendAsync(request.Encode()), AliceKey);

        Assert.True(part.RenewTill <= now.AddHours(1), $"renew-till {part.RenewTill} passes the requested {now.AddHours(1)}");
    }

    [Fact]
    public async Task A_huge_policy_lifetime_saturates_instead_of_throwing()
    {
        var realm = new TestRealm(RealmPolicy.Default with { TgtLifetime = TimeSpan.MaxValue / 2, TgtRenewableLifetime = TimeSpan.MaxValue / 2 });
        await realm.InitializeAsync();

        var tgt = await LoginAsync(realm);
        var response = await realm.SendAsync(TgsRequest(tgt, Service(TestRealm.FilesSpn), realm.Clock.Now).Encode());

        Assert.True(tgt.Part.EndTime > realm.Clock.Now);
        Assert.True(response.Outcome.Succeeded, response.Outcome.Reason);
    }

    [Fact]
    public async Task A_client_name_cannot_forge_log_lines()
    {
        var realm = new TestRealm();
        await realm.InitializeAsync();
        var forged = "mallory\n[09:00:00 INF] KDC https result=ok\u001b[2J" + new string('x', 1000);

        var response = await realm.SendAsync(AsRequest(Principal(forged), null, realm.Clock.Now).Encode());

        Assert.DoesNotContain(response.Outcome.Client!, char.IsControl);
        Assert.True(response.Outcome.Client!.Length <= Engine.KdcOutcome.MaxNameLength);
    }

    [Fact]
    public async Task A_declined_pac_keeps_it_out_of_service_tickets_only()
    {
        var realm = new TestRealm();
        await realm.InitializeAsync();
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, realm.Clock.Now, KdcOptions.Canonicalize, extraPaData: [new PaPacRequest { IncludePac = false }.ToPaData()]);
        var (reply, part) = OpenAsReply(await realm.SendAsync(request.Encode()), AliceKey);
        var tgt = new ClientTgt(reply, part, part.Key.ToKey());

        var response = await realm.SendAsync(TgsRequest(tgt, Service(TestRealm.FilesSpn), realm.Clock.Now).Encode());
        var (serviceReply, _) = OpenTgsReply(response, tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);

        Assert.Null(AuthorizationData.FindPac(OpenTicket(serviceReply.Ticket, TestRealm.ServiceKey(TestRealm.FilesSpn)).AuthorizationData));
    }

    [Fact]
    public async Task Postdated_tickets_are_refused_rather_than_silently_started_now()
    {
        // MIT requires starttime == from when POSTDATED is set; a ticket starting now would fail kinit -s.
        var realm = new TestRealm();
        await realm.InitializeAsync();

        var response = await realm.SendAsync(AsRequest(Enterprise("alice@contoso.com"), AliceKey, realm.Clock.Now, KdcOptions.Postdated | KdcOptions.AllowPostdate).Encode());

        Assert.Equal(KerberosErrorCode.KDC_ERR_BADOPTION, response.Outcome.ErrorCode);
    }
}
