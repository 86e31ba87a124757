using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Tests.Support;

/// <summary>
/// Two tenants seeded the way the tests need them: a hybrid tenant (contoso) with hybrid, cloud-only and
/// disabled users, synced and cloud groups, and service principals in every state; and a second tenant
/// (fabrikam) with its own krbtgt key for isolation tests.
/// </summary>
internal sealed class TestRealm
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public const string AlicePassword = "alice-password";
    public const string ServicePassword = "service-password";
    public const string FilesSpn = "cifs/acct.file.core.windows.net";
    public const string TaggedSpn = "cifs/tagged.file.core.windows.net";
    public const string NoKeySpn = "HTTP/nokey.contoso.com";
    public const string ExpiredSpn = "HTTP/expired.contoso.com";
    public const string DisabledSpn = "HTTP/disabled.contoso.com";

    public static readonly SecurityIdentifier DomainSid = SecurityIdentifier.Parse("S-1-5-21-1000-2000-3000");
    public static readonly SecurityIdentifier OtherDomainSid = SecurityIdentifier.Parse("S-1-5-21-7000-8000-9000");
    public static readonly Guid SyncedGroupId = Guid.Parse("11111111-0000-0000-0000-000000000001");
    public static readonly Guid ForeignGroupId = Guid.Parse("11111111-0000-0000-0000-000000000002");
    public static readonly Guid CloudGroupId = Guid.Parse("5b1a6bbd-f1b5-4d1e-9c4a-0d2a1c3e4f5a");

    private static readonly EncryptionType[] Aes256 = [EncryptionType.Aes256CtsHmacSha196];

    public TestRealm(RealmPolicy? policy = null, int seed = 42)
    {
        Clock = new FixedClock(Start);
        Random = new SeededRandom(seed);
        Store = new InMemoryDirectoryStore();
        Tenant = new Tenant
        {
            Id = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001"),
            DisplayName = "Contoso",
            VerifiedDomains = ["contoso.com"],
            OnPremisesDomain = new OnPremisesDomain { DnsName = "contoso.com", NetBiosName = "CONTOSO", DomainSid = DomainSid },
            Policy = policy ?? RealmPolicy.Default,
        };
        OtherTenant = new Tenant { Id = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002"), DisplayName = "Fabrikam", VerifiedDomains = ["fabrikam.com"] };

        KrbtgtKey = KeyFactory.RandomKrbtgtKey(Random, kvno: 1);
        OtherKrbtgtKey = KeyFactory.RandomKrbtgtKey(Random, kvno: 1);
        Alice = HybridUser("alice", Guid.Parse("cccccccc-0000-0000-0000-00000000a11c"), 1105, [SyncedGroupId, ForeignGroupId, CloudGroupId]);
        Carol = new DirectoryUser
        {
            ObjectId = Guid.Parse("cccccccc-0000-0000-0000-0000000ca201"),
            UserPrincipalName = "carol@contoso.com",
            Keys = KeyFactory.ForUser(AlicePassword, "carol@contoso.com", Aes256),
            GroupIds = [CloudGroupId],
        };
        Engine = new KdcEngine(Store, Clock, Random);
    }

    /// <summary>Writes the realm into the store; test classes call it from <c>IAsyncLifetime.InitializeAsync</c>.</summary>
    public async Task InitializeAsync()
    {
        await Store.AddTenantAsync(Tenant, [KrbtgtKey], isDefault: true);
        await Store.AddTenantAsync(OtherTenant, [OtherKrbtgtKey]);

        await Store.AddGroupAsync(Tenant.Id, new DirectoryGroup { ObjectId = SyncedGroupId, DisplayName = "File Users", OnPremisesSecurityIdentifier = DomainSid.WithRid(1200) });
        await Store.AddGroupAsync(Tenant.Id, new DirectoryGroup { ObjectId = ForeignGroupId, DisplayName = "Partner Readers", OnPremisesSecurityIdentifier = OtherDomainSid.WithRid(700) });
        await Store.AddGroupAsync(Tenant.Id, new DirectoryGroup { ObjectId = CloudGroupId, DisplayName = "Cloud Team" });

        await Store.AddUserAsync(Tenant.Id, Alice);
        await Store.AddUserAsync(OtherTenant.Id, Alice);
        await Store.AddUserAsync(Tenant.Id, HybridUser("dave", Guid.Parse("cccccccc-0000-0000-0000-00000000da7e"), 1106, []) with { AccountEnabled = false });
        await Store.AddUserAsync(Tenant.Id, Carol);

        await AddServiceAsync("files", [FilesSpn, "HOST/acct.file.core.windows.net"], ServicePassword, tags: []);
        await AddServiceAsync("tagged", [TaggedSpn], ServicePassword, tags: [ServicePrincipal.CloudGroupSidsTag]);
        await Store.AddServicePrincipalAsync(Tenant.Id, new ServicePrincipal { ObjectId = Guid.Parse("dddddddd-0000-0000-0000-000000000099"), DisplayName = "nokey", ServicePrincipalNames = [NoKeySpn] });
        await AddServiceAsync("expired", [ExpiredSpn], ServicePassword, tags: [], expiresOn: Start.AddDays(-1));
        await AddServiceAsync("disabled", [DisabledSpn], ServicePassword, tags: [], enabled: false);
    }

    public FixedClock Clock { get; }

    public SeededRandom Random { get; }

    public InMemoryDirectoryStore Store { get; }

    public Tenant Tenant { get; }

    public Tenant OtherTenant { get; }

    public StoredKey KrbtgtKey { get; }

    public StoredKey OtherKrbtgtKey { get; }

    public DirectoryUser Alice { get; }

    public DirectoryUser Carol { get; }

    public KdcEngine Engine { get; }

    public static KerberosKey UserKey(string upn, string password = AlicePassword) =>
        KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, password, CloudRealm.Name + upn);

    public static KerberosKey ServiceKey(string spn) =>
        KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, ServicePassword, KerberosSalt.ForPrincipal(CloudRealm.Name, spn.Split('/')));

    public async Task<KdcResponse> SendAsync(byte[] request, Tenant? tenant = null) =>
        await Engine.ProcessAsync(request, new KdcRequestContext { Tenant = tenant ?? Tenant });

    /// <summary>The tenant with another policy: the engine reads policy from the request context, the rest from the store.</summary>
    public Tenant WithPolicy(RealmPolicy policy) => Tenant with { Policy = policy };

    private static DirectoryUser HybridUser(string sam, Guid objectId, uint rid, IReadOnlyList<Guid> groups)
    {
        var upn = sam + "@contoso.com";
        return new DirectoryUser
        {
            ObjectId = objectId,
            UserPrincipalName = upn,
            DisplayName = sam,
            Keys = KeyFactory.ForUser(AlicePassword, upn, Aes256),
            OnPremises = new OnPremisesIdentity { SamAccountName = sam, SecurityIdentifier = DomainSid.WithRid(rid), DomainName = "contoso.com" },
            GroupIds = groups,
        };
    }

    private ValueTask AddServiceAsync(string name, IReadOnlyList<string> spns, string secret, IReadOnlyList<string> tags, DateTimeOffset? expiresOn = null, bool enabled = true) =>
        Store.AddServicePrincipalAsync(Tenant.Id, new ServicePrincipal
        {
            ObjectId = new Guid(name.Length, 0, 0, System.Text.Encoding.ASCII.GetBytes(name.PadRight(8)[..8])),
            DisplayName = name,
            ServicePrincipalNames = spns,
            KeysBySpn = KeyFactory.ForServicePrincipal(secret, spns, Aes256, expiresOn: expiresOn),
            Tags = new HashSet<string>(tags, StringComparer.OrdinalIgnoreCase),
            AccountEnabled = enabled,
        });
}
