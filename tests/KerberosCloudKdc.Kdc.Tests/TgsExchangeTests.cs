using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

public class TgsExchangeTests : IAsyncLifetime
{
    private static readonly KerberosKey FilesKey = TestRealm.ServiceKey(TestRealm.FilesSpn);

    private readonly TestRealm realm = new();

    public Task InitializeAsync() => realm.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTimeOffset Now => realm.Clock.Now;

    private async Task<KdcResponse> AskAsync(ClientTgt tgt, string spn, TgsRequestOptions? options = null, Tenant? tenant = null) =>
        await realm.SendAsync(TgsRequest(tgt, Service(spn), Now, options).Encode(), tenant);

    [Fact]
    public async Task Service_ticket_without_subkey_uses_the_session_key()
    {
        var tgt = await LoginAsync(realm);
        realm.Clock.Advance(TimeSpan.FromMinutes(30));
        var response = await AskAsync(tgt, TestRealm.FilesSpn);

        var (reply, part) = OpenTgsReply(response, tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal(777u, part.Nonce);
        Assert.Equal(Service(TestRealm.FilesSpn), part.ServerName);
        Assert.Equal(Service(TestRealm.FilesSpn), reply.Ticket.ServerName);
        Assert.Equal(CloudRealm.Name, reply.Ticket.Realm);
        Assert.Equal(tgt.ClientName, reply.ClientName);
        Assert.Equal(1u, reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, reply.Ticket.EncryptedPart.EncryptionType);

        var ticket = OpenTicket(reply.Ticket, FilesKey);
        Assert.Equal(tgt.ClientName, ticket.ClientName);
        Assert.Equal(part.Key.KeyValue.ToArray(), ticket.Key.KeyValue.ToArray());
        Assert.NotEqual(tgt.SessionKey.Value.ToArray(), ticket.Key.KeyValue.ToArray());
        Assert.Equal(TicketFlags.Forwardable | TicketFlags.PreAuthent, ticket.Flags);
        Assert.Equal(TestRealm.Start, ticket.AuthTime);
        Assert.Equal(Now, ticket.StartTime);
        Assert.Equal(Now.AddHours(1), ticket.EndTime);
        Assert.Null(ticket.RenewTill);
        Assert.Equal(TestRealm.FilesSpn, response.Outcome.Service);
        Assert.Equal("alice@contoso.com@" + CloudRealm.Name, response.Outcome.Client);
    }

    [Fact]
    public async Task Service_ticket_with_subkey_is_under_the_subkey()
    {
        var tgt = await LoginAsync(realm);
        var subkey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(9));
        var response = await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { Subkey = subkey });

        var reply = TgsRep.Decode(response.Reply);
        Assert.ThrowsAny<Exception>(() => reply.EncryptedPart.Decrypt(tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey));
        var (_, part) = OpenTgsReply(response, subkey, KeyUsage.TgsRepEncPartSubkey);
        Assert.Equal(Service(TestRealm.FilesSpn), part.ServerName);
    }

    [Fact]
    public async Task Service_ticket_ends_with_the_tgt()
    {
        var tgt = await LoginAsync(realm);
        realm.Clock.Advance(TimeSpan.FromHours(9.5));
        var (_, part) = OpenTgsReply(await AskAsync(tgt, TestRealm.FilesSpn), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal(TestRealm.Start.AddHours(10), part.EndTime);
    }

    [Fact]
    public async Task Spn_lookup_ignores_case_and_the_reply_echoes_the_request()
    {
        var tgt = await LoginAsync(realm);
        var (reply, _) = OpenTgsReply(await AskAsync(tgt, "CIFS/ACCT.file.core.windows.net"), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal("CIFS/ACCT.file.core.windows.net", reply.Ticket.ServerName.FullName);
        OpenTicket(reply.Ticket, FilesKey);
    }

    [Fact]
    public async Task Forwardable_only_when_asked_and_the_tgt_is()
    {
        var tgt = await LoginAsync(realm);
        var (_, part) = OpenTgsReply(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { Options = KdcOptions.None }), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal(TicketFlags.PreAuthent, part.Flags);

        var plainTgt = await LoginAsync(realm, options: KdcOptions.Canonicalize);
        (_, part) = OpenTgsReply(await AskAsync(plainTgt, TestRealm.FilesSpn), plainTgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.False(part.Flags.HasFlag(TicketFlags.Forwardable));

        AssertError(await AskAsync(plainTgt, "krbtgt/" + CloudRealm.Name, new TgsRequestOptions { Options = KdcOptions.Forwarded }), KerberosErrorCode.KDC_ERR_BADOPTION);
    }

    [Theory]
    [InlineData("HTTP/unknown.contoso.com", KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "SPN not registered")]
    [InlineData(TestRealm.NoKeySpn, KerberosErrorCode.KDC_ERR_NULL_KEY, "service principal has no Kerberos key")]
    [InlineData(TestRealm.ExpiredSpn, KerberosErrorCode.KDC_ERR_SERVICE_EXP, "service principal credential expired")]
    [InlineData(TestRealm.DisabledSpn, KerberosErrorCode.KDC_ERR_SERVICE_REVOKED, "service principal disabled")]
    [InlineData("krbtgt/CONTOSO.COM", KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "no cross-realm trust to that realm")]
    public async Task Service_refusals(string spn, KerberosErrorCode code, string reason)
    {
        var tgt = await LoginAsync(realm);
        var error = AssertError(await AskAsync(tgt, spn), code);
        Assert.Equal(reason, error.Text);
    }

    [Fact]
    public async Task Cloud_only_users_need_a_tagged_service()
    {
        var tenant = realm.WithPolicy(RealmPolicy.Default with { CloudOnlyUsersAllowed = true });
        var key = TestRealm.UserKey("carol@contoso.com");
        var (asReply, asPart) = OpenAsReply(await realm.SendAsync(AsRequest(Enterprise("carol@contoso.com"), key, Now, KdcOptions.Canonicalize).Encode(), tenant), key);
        var tgt = new ClientTgt(asReply, asPart, asPart.Key.ToKey());

        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, tenant: tenant), KerberosErrorCode.KDC_ERR_POLICY);

        var (reply, _) = OpenTgsReply(await AskAsync(tgt, TestRealm.TaggedSpn, tenant: tenant), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        var ticket = OpenTicket(reply.Ticket, TestRealm.ServiceKey(TestRealm.TaggedSpn));
        var pac = PrivilegeAttributeCertificate.Decode(AuthorizationData.FindPac(ticket.AuthorizationData)!.Value.Span);
        Assert.Equal("S-1-12-1-3435973836-0-0-27397120", pac.LogonInfo!.UserSid!.ToString());
        Assert.Contains(pac.LogonInfo.ExtraSids, s => s.Sid.ToString() == "S-1-12-1-1528458173-1293873589-705514140-1515142684");
        Assert.Equal(PacFactoryNames.Cloud, pac.LogonInfo.LogonDomainName);
    }

    [Fact]
    public async Task Renewal_keeps_authtime_and_renew_till_with_a_new_session_key()
    {
        var tgt = await LoginAsync(realm);
        realm.Clock.Advance(TimeSpan.FromHours(9));
        var response = await AskAsync(tgt, "krbtgt/" + CloudRealm.Name, new TgsRequestOptions { Options = KdcOptions.Renew | KdcOptions.Renewable });

        var (reply, part) = OpenTgsReply(response, tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        var ticket = OpenTicket(reply.Ticket, realm.KrbtgtKey.Key);
        Assert.Equal(TestRealm.Start, ticket.AuthTime);
        Assert.Equal(TestRealm.Start.AddDays(7), ticket.RenewTill);
        Assert.Equal(Now.AddHours(10), ticket.EndTime);
        Assert.True(ticket.Flags.HasFlag(TicketFlags.Renewable));
        Assert.False(ticket.Flags.HasFlag(TicketFlags.Initial));
        Assert.NotEqual(tgt.SessionKey.Value.ToArray(), part.Key.KeyValue.ToArray());

        // The renewed TGT works at the TGS.
        var renewed = new ClientTgt(new AsRep { ClientName = reply.ClientName, ClientRealm = reply.ClientRealm, Ticket = reply.Ticket, EncryptedPart = reply.EncryptedPart }, part, part.Key.ToKey());
        AssertSucceeded(await AskAsync(renewed, TestRealm.FilesSpn));
    }

    [Fact]
    public async Task Renewal_ends_at_renew_till_and_not_after()
    {
        var policy = RealmPolicy.Default with { TgtRenewableLifetime = TimeSpan.FromHours(12) };
        var tenant = realm.WithPolicy(policy);
        var key = TestRealm.UserKey("alice@contoso.com");
        var (asReply, asPart) = OpenAsReply(await realm.SendAsync(AsRequest(Enterprise("alice@contoso.com"), key, Now, KdcOptions.Renewable | KdcOptions.Canonicalize).Encode(), tenant), key);
        Assert.Equal(TestRealm.Start.AddHours(12), asPart.RenewTill);

        realm.Clock.Advance(TimeSpan.FromHours(9));
        var response = await realm.SendAsync(TgsRequest(asReply.Ticket, asPart.Key.ToKey(), asReply.ClientName, asReply.ClientRealm, PrincipalName.Krbtgt(CloudRealm.Name), Now, new TgsRequestOptions { Options = KdcOptions.Renew }).Encode(), tenant);
        var (reply, part) = OpenTgsReply(response, asPart.Key.ToKey(), KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal(TestRealm.Start.AddHours(12), part.EndTime);

        // Just past renew-till (still inside the expiry skew): the renewable life is over.
        realm.Clock.Now = TestRealm.Start.AddHours(12).AddMinutes(1);
        var late = TgsRequest(reply.Ticket, part.Key.ToKey(), reply.ClientName, reply.ClientRealm, PrincipalName.Krbtgt(CloudRealm.Name), Now, new TgsRequestOptions { Options = KdcOptions.Renew });
        AssertError(await realm.SendAsync(late.Encode(), tenant), KerberosErrorCode.KRB_AP_ERR_TKT_EXPIRED);
    }

    [Fact]
    public async Task Non_renewable_tgt_cannot_be_renewed()
    {
        var tgt = await LoginAsync(realm, options: KdcOptions.Canonicalize);
        AssertError(await AskAsync(tgt, "krbtgt/" + CloudRealm.Name, new TgsRequestOptions { Options = KdcOptions.Renew }), KerberosErrorCode.KDC_ERR_BADOPTION);
    }

    [Fact]
    public async Task Renew_of_a_service_ticket_is_refused()
    {
        var tgt = await LoginAsync(realm);
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { Options = KdcOptions.Renew }), KerberosErrorCode.KDC_ERR_BADOPTION);
    }

    [Fact]
    public async Task A_tgs_request_for_krbtgt_returns_a_fresh_tgt()
    {
        var tgt = await LoginAsync(realm);
        realm.Clock.Advance(TimeSpan.FromHours(1));
        var (reply, _) = OpenTgsReply(await AskAsync(tgt, "krbtgt/" + CloudRealm.Name), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        var ticket = OpenTicket(reply.Ticket, realm.KrbtgtKey.Key);
        Assert.Equal(TestRealm.Start.AddHours(10), ticket.EndTime);
        Assert.Equal(TicketFlags.Forwardable | TicketFlags.PreAuthent, ticket.Flags);
        var pacBytes = AuthorizationData.FindPac(ticket.AuthorizationData)!.Value.Span;
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes, realm.KrbtgtKey.Key));
    }

    [Fact]
    public async Task Old_krbtgt_key_still_opens_its_tickets_after_rotation()
    {
        var tgt = await LoginAsync(realm);
        var newKey = KeyFactory.RandomKrbtgtKey(new SeededRandom(77), kvno: 2);
        await realm.Store.SetKrbtgtKeysAsync(realm.Tenant.Id, [newKey, realm.KrbtgtKey]);

        var (reply, _) = OpenTgsReply(await AskAsync(tgt, TestRealm.FilesSpn), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        var pacBytes = AuthorizationData.FindPac(OpenTicket(reply.Ticket, FilesKey).AuthorizationData)!.Value.Span;
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes, newKey.Key));

        // New TGTs come under the new key.
        var (krbtgtReply, _) = OpenTgsReply(await AskAsync(tgt, "krbtgt/" + CloudRealm.Name), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        Assert.Equal(2u, krbtgtReply.Ticket.EncryptedPart.KeyVersion);
        OpenTicket(krbtgtReply.Ticket, newKey.Key);

        // Once the old key is gone, so are its tickets.
        await realm.Store.SetKrbtgtKeysAsync(realm.Tenant.Id, [newKey]);
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn), KerberosErrorCode.KRB_AP_ERR_BADKEYVER);
    }

    [Fact]
    public async Task A_tgt_from_one_tenant_is_worthless_at_another()
    {
        var tgt = await LoginAsync(realm);
        var error = AssertError(await AskAsync(tgt, TestRealm.FilesSpn, tenant: realm.OtherTenant), KerberosErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
        Assert.Equal("ticket does not decrypt", error.Text);
    }

    [Fact]
    public async Task Authenticator_must_name_the_ticket_client()
    {
        var tgt = await LoginAsync(realm);
        var options = new TgsRequestOptions { AuthenticatorName = Enterprise("bob@contoso.com") };
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, options), KerberosErrorCode.KRB_AP_ERR_BADMATCH);
    }

    [Fact]
    public async Task Authenticator_must_be_fresh()
    {
        var tgt = await LoginAsync(realm);
        var options = new TgsRequestOptions { AuthenticatorTime = Now.AddMinutes(-10) };
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, options), KerberosErrorCode.KRB_AP_ERR_SKEW);
    }

    [Fact]
    public async Task Expired_tgt_is_refused()
    {
        var tgt = await LoginAsync(realm);
        realm.Clock.Advance(TimeSpan.FromHours(10) + TimeSpan.FromMinutes(6));
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn), KerberosErrorCode.KRB_AP_ERR_TKT_EXPIRED);
    }

    [Fact]
    public async Task Invalid_tgt_is_not_yet_valid()
    {
        var tgt = await LoginAsync(realm);
        var forged = Reissue(tgt, realm.KrbtgtKey, part => new EncTicketPart
        {
            Flags = part.Flags | TicketFlags.Invalid,
            Key = part.Key,
            ClientRealm = part.ClientRealm,
            ClientName = part.ClientName,
            AuthTime = part.AuthTime,
            StartTime = part.StartTime,
            EndTime = part.EndTime,
            RenewTill = part.RenewTill,
            AuthorizationData = part.AuthorizationData,
        });
        AssertError(await realm.SendAsync(TgsRequest(forged, tgt.SessionKey, tgt.ClientName, tgt.ClientRealm, Service(TestRealm.FilesSpn), Now).Encode()), KerberosErrorCode.KRB_AP_ERR_TKT_NYV);
    }

    [Fact]
    public async Task Forged_pac_is_refused()
    {
        var tgt = await LoginAsync(realm);
        var attackerKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(666));
        var forged = Reissue(tgt, realm.KrbtgtKey, part =>
        {
            var pac = PrivilegeAttributeCertificate.Decode(AuthorizationData.FindPac(part.AuthorizationData)!.Value.Span);
            var resigned = PacSigner.Sign(pac, attackerKey, attackerKey);
            return new EncTicketPart
            {
                Flags = part.Flags,
                Key = part.Key,
                ClientRealm = part.ClientRealm,
                ClientName = part.ClientName,
                AuthTime = part.AuthTime,
                StartTime = part.StartTime,
                EndTime = part.EndTime,
                RenewTill = part.RenewTill,
                AuthorizationData = [AuthorizationData.WrapPac(resigned)],
            };
        });
        var error = AssertError(await realm.SendAsync(TgsRequest(forged, tgt.SessionKey, tgt.ClientName, tgt.ClientRealm, Service(TestRealm.FilesSpn), Now).Encode()), KerberosErrorCode.KRB_AP_ERR_MODIFIED);
        Assert.Equal("PAC signature invalid", error.Text);
    }

    [Fact]
    public async Task Ticket_that_is_not_a_tgt_is_refused()
    {
        var tgt = await LoginAsync(realm);
        var (reply, part) = OpenTgsReply(await AskAsync(tgt, TestRealm.FilesSpn), tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey);
        var request = TgsRequest(reply.Ticket, part.Key.ToKey(), reply.ClientName, reply.ClientRealm, Service(TestRealm.FilesSpn), Now);
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KRB_AP_ERR_NOT_US);
    }

    [Fact]
    public async Task Checksum_is_required()
    {
        var tgt = await LoginAsync(realm);
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { OmitChecksum = true }), KerberosErrorCode.KRB_AP_ERR_INAPP_CKSUM);
    }

    [Theory]
    [InlineData(ChecksumType.HmacSha196Aes128)]
    [InlineData((ChecksumType)7)]
    public async Task Checksum_must_be_keyed_for_the_session_key(ChecksumType type)
    {
        var tgt = await LoginAsync(realm);
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { ChecksumType = type }), KerberosErrorCode.KRB_AP_ERR_INAPP_CKSUM);
    }

    [Fact]
    public async Task Altered_body_fails_the_checksum()
    {
        var tgt = await LoginAsync(realm);
        var error = AssertError(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { TamperBody = true }), KerberosErrorCode.KRB_AP_ERR_MODIFIED);
        Assert.Equal("request body checksum mismatch", error.Text);
    }

    [Fact]
    public async Task Deleted_and_disabled_users_lose_their_tgt()
    {
        var tgt = await LoginAsync(realm);
        await realm.Store.UpdateUserAsync(realm.Tenant.Id, realm.Alice with { AccountEnabled = false });
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn), KerberosErrorCode.KDC_ERR_CLIENT_REVOKED);

        // "Deleted": the same object no longer answers to that UPN or SAM name.
        await realm.Store.UpdateUserAsync(realm.Tenant.Id, realm.Alice with { UserPrincipalName = "alice.old@contoso.com", OnPremises = realm.Alice.OnPremises! with { SamAccountName = "alice.old" } });
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn), KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN);
    }

    [Fact]
    public async Task A_reused_name_does_not_inherit_the_old_accounts_tgt()
    {
        var tgt = await LoginAsync(realm);
        await realm.Store.UpdateUserAsync(realm.Tenant.Id, realm.Alice with { UserPrincipalName = "alice.old@contoso.com", OnPremises = realm.Alice.OnPremises! with { SamAccountName = "alice.old" } });
        await realm.Store.AddUserAsync(realm.Tenant.Id, realm.Alice with
        {
            ObjectId = Guid.Parse("cccccccc-0000-0000-0000-00000000b0b0"),
            OnPremises = realm.Alice.OnPremises! with { SecurityIdentifier = TestRealm.DomainSid.WithRid(4242) },
        });
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn), KerberosErrorCode.KDC_ERR_TGT_REVOKED);
    }

    [Fact]
    public async Task No_common_session_key_etype_is_refused()
    {
        var tgt = await LoginAsync(realm);
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { Etypes = [EncryptionType.Aes128CtsHmacSha196] }), KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP);
    }

    [Theory]
    [InlineData(KdcOptions.EncTicketInSessionKey)]
    [InlineData(KdcOptions.CnameInAdditionalTicket)]
    [InlineData(KdcOptions.Validate)]
    public async Task Unsupported_tgs_options_are_refused(KdcOptions option)
    {
        var tgt = await LoginAsync(realm);
        AssertError(await AskAsync(tgt, TestRealm.FilesSpn, new TgsRequestOptions { Options = option }), KerberosErrorCode.KDC_ERR_BADOPTION);
    }

    [Fact]
    public async Task Tgs_request_without_pa_tgs_req_is_refused()
    {
        var request = new TgsReq
        {
            Body = new KdcReqBody { Options = KdcOptions.None, Realm = CloudRealm.Name, ServerName = Service(TestRealm.FilesSpn), Till = Now.AddHours(1), Nonce = 1, EncryptionTypes = DefaultEtypes },
        };
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP);
    }

    /// <summary>Re-encrypts a TGT's EncTicketPart after a change, with the given krbtgt key (what an insider could do).</summary>
    private Ticket Reissue(ClientTgt tgt, StoredKey key, Func<EncTicketPart, EncTicketPart> change)
    {
        var part = change(OpenTicket(tgt.Ticket, realm.KrbtgtKey.Key));
        return new Ticket
        {
            Realm = tgt.Ticket.Realm,
            ServerName = tgt.Ticket.ServerName,
            EncryptedPart = EncryptedData.Encrypt(key.Key, KeyUsage.TicketEncPart, part.Encode(), new SeededRandom(3), key.Kvno),
        };
    }
}

internal static class PacFactoryNames
{
    public const string Cloud = PacFactory.CloudNetBiosDomain;
}
