using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

public class AsExchangeTests : IAsyncLifetime
{
    private readonly TestRealm realm = new();

    public Task InitializeAsync() => realm.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTimeOffset Now => realm.Clock.Now;

    private static KerberosKey AliceKey { get; } = TestRealm.UserKey("alice@contoso.com");

    [Fact]
    public async Task Without_timestamp_the_kdc_asks_for_preauth_with_etype_info2_and_no_fast()
    {
        var response = await realm.SendAsync(AsRequest(Enterprise("alice@contoso.com"), null, Now).Encode());

        var error = AssertError(response, KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED);
        var methods = PaData.DecodeMethodData(error.Data!.Value);
        Assert.Equal([PaDataType.EncTimestamp, PaDataType.EtypeInfo2], methods.Select(m => m.Type));
        Assert.True(methods[0].Value.IsEmpty);
        var entry = Assert.Single(EtypeInfo2Entry.DecodeList(methods[1].Value));
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, entry.EncryptionType);
        Assert.Equal("KERBEROS.MICROSOFTONLINE.COMalice@contoso.com", entry.Salt);
        Assert.Equal(CloudRealm.Name, error.Realm);
        Assert.Equal(MessageType.AsReq, response.Outcome.RequestType);
        Assert.Equal("alice@contoso.com@" + CloudRealm.Name, response.Outcome.Client);
    }

    [Fact]
    public async Task Enterprise_name_with_canonicalize_gets_a_tgt_named_by_upn()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, KdcOptions.Forwardable | KdcOptions.Renewable | KdcOptions.Canonicalize);
        var response = await realm.SendAsync(request.Encode());

        var (reply, part) = OpenAsReply(response, AliceKey);
        Assert.Equal(new PrincipalName(PrincipalNameType.Enterprise, "alice@contoso.com"), reply.ClientName);
        Assert.Equal(PrincipalNameType.Enterprise, reply.ClientName.Type);
        Assert.Equal(CloudRealm.Name, reply.ClientRealm);
        Assert.Equal(12345u, part.Nonce);
        Assert.Equal(PrincipalName.Krbtgt(CloudRealm.Name), part.ServerName);
        Assert.Equal(0, Assert.Single(part.LastRequests).Type);
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, part.Key.KeyType);
        Assert.Equal(1u, reply.EncryptedPart.KeyVersion);
        Assert.Contains(reply.PaData!, p => p.Type == PaDataType.EtypeInfo2);

        Assert.Equal(1u, reply.Ticket.EncryptedPart.KeyVersion);
        var ticket = OpenTicket(reply.Ticket, realm.KrbtgtKey.Key);
        Assert.Equal(reply.ClientName, ticket.ClientName);
        Assert.Equal(part.Key.KeyValue.ToArray(), ticket.Key.KeyValue.ToArray());
        Assert.Equal(TicketFlags.Initial | TicketFlags.PreAuthent | TicketFlags.Forwardable | TicketFlags.Renewable, ticket.Flags);
        Assert.Equal(part.Flags, ticket.Flags);
    }

    [Fact]
    public async Task Sam_name_without_canonicalize_is_echoed_exactly()
    {
        var request = AsRequest(Principal("alice"), AliceKey, Now, KdcOptions.Forwardable);
        var (reply, part) = OpenAsReply(await realm.SendAsync(request.Encode()), AliceKey);

        Assert.Equal(PrincipalNameType.Principal, reply.ClientName.Type);
        Assert.Equal("alice", reply.ClientName.FullName);
        Assert.Equal(CloudRealm.Name, reply.ClientRealm);
        Assert.Equal("alice", OpenTicket(reply.Ticket, realm.KrbtgtKey.Key).ClientName.FullName);
        Assert.Equal(TicketFlags.Initial | TicketFlags.PreAuthent | TicketFlags.Forwardable, part.Flags);
    }

    [Fact]
    public async Task Upn_as_a_single_principal_component_is_found()
    {
        var request = AsRequest(Principal("alice@contoso.com"), AliceKey, Now);
        var (reply, _) = OpenAsReply(await realm.SendAsync(request.Encode()), AliceKey);
        Assert.Equal("alice@contoso.com", reply.ClientName.FullName);
    }

    [Fact]
    public async Task Lifetimes_follow_policy_and_request()
    {
        // Default: 10 h TGT, renewable 7 d, authtime = now.
        var (_, part) = OpenAsReply(await realm.SendAsync(AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now).Encode()), AliceKey);
        Assert.Equal(TestRealm.Start, part.AuthTime);
        Assert.Equal(TestRealm.Start, part.StartTime);
        Assert.Equal(TestRealm.Start.AddHours(10), part.EndTime);
        Assert.Equal(TestRealm.Start.AddDays(7), part.RenewTill);

        // A shorter till wins; rtime bounds renew-till.
        var shorter = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, till: Now.AddHours(2), renewTill: Now.AddDays(1));
        (_, part) = OpenAsReply(await realm.SendAsync(shorter.Encode()), AliceKey);
        Assert.Equal(TestRealm.Start.AddHours(2), part.EndTime);
        Assert.Equal(TestRealm.Start.AddDays(1), part.RenewTill);

        // 1970 means "as long as allowed"; no RENEWABLE, no renew-till.
        var noLimit = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, KdcOptions.None, till: DateTimeOffset.UnixEpoch);
        (_, part) = OpenAsReply(await realm.SendAsync(noLimit.Encode()), AliceKey);
        Assert.Equal(TestRealm.Start.AddHours(10), part.EndTime);
        Assert.Null(part.RenewTill);
        Assert.Equal(TicketFlags.Initial | TicketFlags.PreAuthent, part.Flags);
    }

    [Fact]
    public async Task Renewable_ok_turns_a_long_till_into_a_renewable_ticket()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, KdcOptions.RenewableOk, till: Now.AddDays(2));
        var (_, part) = OpenAsReply(await realm.SendAsync(request.Encode()), AliceKey);
        Assert.True(part.Flags.HasFlag(TicketFlags.Renewable));
        Assert.Equal(TestRealm.Start.AddHours(10), part.EndTime);
        Assert.Equal(TestRealm.Start.AddDays(2), part.RenewTill);

        var shortTill = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, KdcOptions.RenewableOk, till: Now.AddHours(5));
        (_, part) = OpenAsReply(await realm.SendAsync(shortTill.Encode()), AliceKey);
        Assert.False(part.Flags.HasFlag(TicketFlags.Renewable));
    }

    [Fact]
    public async Task Pac_request_false_is_recorded_in_the_tgt_pac_and_true_too()
    {
        // The TGT keeps its PAC (PAC_REQUESTOR binds it to the account); the attributes remember the refusal.
        var without = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, extraPaData: [new PaPacRequest { IncludePac = false }.ToPaData()]);
        var (reply, _) = OpenAsReply(await realm.SendAsync(without.Encode()), AliceKey);
        var declined = PrivilegeAttributeCertificate.Decode(AuthorizationData.FindPac(OpenTicket(reply.Ticket, realm.KrbtgtKey.Key).AuthorizationData)!.Value.Span);
        Assert.False(declined.AttributesInfo!.PacWasRequested);
        Assert.False(declined.AttributesInfo.PacWasGivenImplicitly);
        Assert.NotNull(declined.Requestor);

        var with = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, extraPaData: [new PaPacRequest { IncludePac = true }.ToPaData()]);
        (reply, _) = OpenAsReply(await realm.SendAsync(with.Encode()), AliceKey);
        var pacBytes = AuthorizationData.FindPac(OpenTicket(reply.Ticket, realm.KrbtgtKey.Key).AuthorizationData)!.Value;
        var pac = PrivilegeAttributeCertificate.Decode(pacBytes.Span);
        Assert.True(pac.AttributesInfo!.PacWasRequested);
    }

    [Fact]
    public async Task Tgt_pac_is_signed_twice_with_the_krbtgt_key()
    {
        var tgt = await LoginAsync(realm);
        var ticket = OpenTicket(tgt.Ticket, realm.KrbtgtKey.Key);
        var pacBytes = AuthorizationData.FindPac(ticket.AuthorizationData)!.Value.Span;
        var pac = PrivilegeAttributeCertificate.Decode(pacBytes);

        Assert.True(PacSigner.VerifyServerSignature(pacBytes, realm.KrbtgtKey.Key));
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes, realm.KrbtgtKey.Key));
        Assert.Null(pac.TicketSignature);
        Assert.Null(pac.FullSignature);
        Assert.Equal("alice@contoso.com", pac.ClientInfo!.Name);
        Assert.Equal(FileTime.FromDateTimeOffset(ticket.AuthTime), pac.ClientInfo.ClientId);
        Assert.Equal(TestRealm.DomainSid.WithRid(1105), pac.Requestor!.Sid);
        // No service asked, so no cloud group SIDs in a TGT.
        Assert.DoesNotContain(pac.LogonInfo!.ExtraSids, s => s.Sid.IdentifierAuthority == 12);
    }

    [Theory]
    [InlineData("EXAMPLE.TEST", KerberosErrorCode.KDC_ERR_WRONG_REALM)]
    [InlineData("kerberos.microsoftonline.com", null)]
    public async Task Realm_is_matched_case_insensitively(string requestRealm, KerberosErrorCode? expected)
    {
        var request = AsRequest(Principal("alice"), AliceKey, Now, realm: requestRealm, server: PrincipalName.Krbtgt(requestRealm));
        var response = await realm.SendAsync(request.Encode());
        if (expected is { } code)
        {
            AssertError(response, code);
        }
        else
        {
            var (reply, _) = OpenAsReply(response, AliceKey);
            Assert.Equal(requestRealm, reply.ClientRealm);
        }
    }

    [Fact]
    public async Task Only_the_cloud_tgs_can_be_asked_for()
    {
        var request = AsRequest(Principal("alice"), AliceKey, Now, server: Service(TestRealm.FilesSpn));
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    }

    [Theory]
    [InlineData("nobody@contoso.com", KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN)]
    [InlineData("dave@contoso.com", KerberosErrorCode.KDC_ERR_CLIENT_REVOKED)]
    [InlineData("carol@contoso.com", KerberosErrorCode.KDC_ERR_POLICY)]
    public async Task Account_refusals(string upn, KerberosErrorCode code)
    {
        var request = AsRequest(Enterprise(upn), TestRealm.UserKey(upn), Now);
        AssertError(await realm.SendAsync(request.Encode()), code);
    }

    [Fact]
    public async Task Cloud_only_refusal_says_why_and_the_policy_flag_lifts_it()
    {
        var request = AsRequest(Enterprise("carol@contoso.com"), TestRealm.UserKey("carol@contoso.com"), Now);
        var error = AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_POLICY);
        Assert.Equal("cloud-only users are not served (Entra Kerberos serves hybrid identities)", error.Text);

        var tenant = realm.WithPolicy(RealmPolicy.Default with { CloudOnlyUsersAllowed = true });
        var response = await realm.SendAsync(request.Encode(), tenant);
        var (reply, _) = OpenAsReply(response, TestRealm.UserKey("carol@contoso.com"));
        var pac = PrivilegeAttributeCertificate.Decode(AuthorizationData.FindPac(OpenTicket(reply.Ticket, realm.KrbtgtKey.Key).AuthorizationData)!.Value.Span);
        Assert.Equal("S-1-12-1-3435973836-0-0-27397120", pac.LogonInfo!.UserSid!.ToString());
    }

    [Fact]
    public async Task Multi_component_names_are_unknown()
    {
        var request = AsRequest(Principal("alice", "admin"), AliceKey, Now);
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN);
    }

    [Fact]
    public async Task No_common_etype_is_refused()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), null, Now, etypes: [EncryptionType.Aes128CtsHmacSha196]);
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP);
    }

    [Fact]
    public async Task Wrong_password_fails_preauth()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), TestRealm.UserKey("alice@contoso.com", "wrong"), Now);
        var error = AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_PREAUTH_FAILED);
        Assert.Equal("wrong password", error.Text);
    }

    [Fact]
    public async Task Timestamp_outside_skew_is_refused()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now.AddMinutes(-6));
        var error = AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KRB_AP_ERR_SKEW);
        Assert.Equal(TestRealm.Start, error.ServerTime);

        var withinSkew = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now.AddMinutes(4));
        AssertSucceeded(await realm.SendAsync(withinSkew.Encode()));
    }

    [Fact]
    public async Task As_exchange_can_be_disabled_per_tenant()
    {
        var tenant = realm.WithPolicy(RealmPolicy.Default with { AsExchangeEnabled = false });
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now);
        var error = AssertError(await realm.SendAsync(request.Encode(), tenant), KerberosErrorCode.KDC_ERR_POLICY);
        Assert.Equal("AS exchange disabled for this tenant", error.Text);
    }

    [Theory]
    [InlineData(KdcOptions.Forwarded)]
    [InlineData(KdcOptions.Renew)]
    [InlineData(KdcOptions.Validate)]
    [InlineData(KdcOptions.EncTicketInSessionKey)]
    public async Task Options_that_need_a_ticket_are_refused(KdcOptions option)
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, option);
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_BADOPTION);
    }

    [Fact]
    public async Task Till_in_the_past_is_never_valid()
    {
        var request = AsRequest(Enterprise("alice@contoso.com"), AliceKey, Now, till: Now.AddHours(-1));
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_NEVER_VALID);
    }
}
