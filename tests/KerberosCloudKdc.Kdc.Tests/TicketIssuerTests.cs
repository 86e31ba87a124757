using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using static KerberosCloudKdc.Kdc.Tests.Support.TestClient;

namespace KerberosCloudKdc.Kdc.Tests;

/// <summary>The token endpoint's path: a cloud TGT minted directly, its AS-REP keyed by a random client key (facts §3.8).</summary>
public class TicketIssuerTests : IAsyncLifetime
{
    private readonly TestRealm realm = new();

    public Task InitializeAsync() => realm.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Minted_tgt_opens_with_the_client_key_and_works_at_the_tgs()
    {
        var clientKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(5));
        var issued = await realm.Engine.Issuer.IssueTgtAsync(realm.Tenant, realm.Alice, clientKey, new TgtOptions { Nonce = 99 });

        var reply = AsRep.Decode(issued.Encode());
        var part = EncKdcRepPart.Decode(reply.EncryptedPart.Decrypt(clientKey, KeyUsage.AsRepEncPart));
        Assert.Equal(99u, part.Nonce);
        Assert.Equal(new PrincipalName(PrincipalNameType.Enterprise, "alice@contoso.com"), reply.ClientName);
        Assert.Equal(CloudRealm.Name, reply.ClientRealm);
        Assert.Null(reply.EncryptedPart.KeyVersion);
        Assert.Equal(TicketFlags.Initial | TicketFlags.PreAuthent | TicketFlags.Forwardable | TicketFlags.Renewable, part.Flags);
        Assert.Equal(TestRealm.Start.AddHours(10), part.EndTime);
        Assert.Equal(TestRealm.Start.AddDays(7), part.RenewTill);

        var ticket = OpenTicket(reply.Ticket, realm.KrbtgtKey.Key);
        Assert.True(PacSigner.VerifyKdcSignature(AuthorizationData.FindPac(ticket.AuthorizationData)!.Value.Span, realm.KrbtgtKey.Key));

        var tgt = new ClientTgt(reply, part, part.Key.ToKey());
        var response = await realm.SendAsync(TgsRequest(tgt, Service(TestRealm.FilesSpn), realm.Clock.Now).Encode());
        AssertSucceeded(response);
    }

    [Fact]
    public async Task Minting_without_a_krbtgt_key_is_a_configuration_error()
    {
        var store = new InMemoryDirectoryStore();
        await store.AddTenantAsync(realm.Tenant, []);
        var issuer = new TicketIssuer(store, realm.Clock, realm.Random);
        var clientKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(5));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await issuer.IssueTgtAsync(realm.Tenant, realm.Alice, clientKey));
    }

    [Fact]
    public async Task A_tenant_without_krbtgt_key_refuses_as_requests()
    {
        await realm.Store.SetKrbtgtKeysAsync(realm.Tenant.Id, []);
        var request = AsRequest(Enterprise("alice@contoso.com"), TestRealm.UserKey("alice@contoso.com"), realm.Clock.Now);
        AssertError(await realm.SendAsync(request.Encode()), KerberosErrorCode.KDC_ERR_NULL_KEY);
    }
}
