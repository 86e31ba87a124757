using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Storage;
using static KerberosCloudKdc.Kdc.Tests.Storage.StorageTestData;

namespace KerberosCloudKdc.Kdc.Tests.Storage;

/// <summary>The directory contract, written once and run against every <see cref="IDirectoryAdminStore"/>.</summary>
public abstract partial class DirectoryStoreContractTests : IAsyncLifetime
{
    protected static readonly Guid TenantA = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    protected static readonly Guid TenantB = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");
    protected static readonly Guid Missing = Guid.Parse("dddddddd-0000-4000-8000-00000000000d");
    protected static readonly Guid Alice = Guid.Parse("11111111-0000-4000-8000-000000000001");
    protected static readonly Guid Bob = Guid.Parse("11111111-0000-4000-8000-000000000002");
    protected static readonly Guid Admins = Guid.Parse("22222222-0000-4000-8000-000000000001");
    protected static readonly Guid Staff = Guid.Parse("22222222-0000-4000-8000-000000000002");
    protected static readonly Guid Files = Guid.Parse("33333333-0000-4000-8000-000000000001");
    protected static readonly Guid Web = Guid.Parse("33333333-0000-4000-8000-000000000002");

    protected IDirectoryAdminStore Store { get; private set; } = null!;

    protected abstract Task<IDirectoryAdminStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private async Task SeedAsync()
    {
        await Store.AddTenantAsync(Tenant(TenantA, "Contoso", "contoso.com", "Contoso.Net"), [Key(1, kvno: 2), Key(2, kvno: 1)]);
        await Store.AddTenantAsync(Tenant(TenantB, "Fabrikam", "fabrikam.com"), [Key(3)]);
    }

    [Fact]
    public async Task Tenants_round_trip_and_are_found_by_id_or_domain_case_insensitively()
    {
        await SeedAsync();
        AssertTenantEqual(Tenant(TenantA, "Contoso", "contoso.com", "Contoso.Net"), await Store.FindTenantAsync(TenantA.ToString()));
        AssertTenantEqual(Tenant(TenantA, "Contoso", "contoso.com", "Contoso.Net"), await Store.FindTenantAsync("CONTOSO.net"));
        AssertTenantEqual(Tenant(TenantB, "Fabrikam", "fabrikam.com"), await Store.FindTenantAsync("Fabrikam.COM"));
        Assert.Null(await Store.FindTenantAsync("nowhere.example"));
        Assert.Null(await Store.FindTenantAsync(Missing.ToString()));
        var list = await Store.ListTenantsAsync();
        Assert.Equal([TenantA, TenantB], list.Select(t => t.Id));
    }

    [Fact]
    public async Task Tenant_without_on_premises_domain_and_default_policy_round_trips()
    {
        var tenant = new Tenant { Id = TenantA, DisplayName = "Cloud only" };
        await Store.AddTenantAsync(tenant, []);
        AssertTenantEqual(tenant, await Store.FindTenantAsync(TenantA.ToString()));
        Assert.Empty(await Store.GetKrbtgtKeysAsync(TenantA));
    }

    [Fact]
    public async Task First_tenant_is_default_until_another_is_added_as_default()
    {
        Assert.Null(await Store.GetDefaultTenantAsync());
        await SeedAsync();
        Assert.Equal(TenantA, (await Store.GetDefaultTenantAsync())?.Id);
        var third = Guid.Parse("cccccccc-0000-4000-8000-000000000003");
        await Store.AddTenantAsync(Tenant(third, "Northwind"), [], isDefault: true);
        Assert.Equal(third, (await Store.GetDefaultTenantAsync())?.Id);
    }

    [Fact]
    public async Task Duplicate_tenant_is_a_conflict_on_id_and_changes_nothing()
    {
        await SeedAsync();
        var e = await Assert.ThrowsAsync<DirectoryConflictException>(async () => await Store.AddTenantAsync(Tenant(TenantA, "Other"), [Key(9)]));
        Assert.Equal("id", e.Field);
        Assert.Equal("Contoso", (await Store.FindTenantAsync(TenantA.ToString()))?.DisplayName);
        Assert.Equal(2, (await Store.GetKrbtgtKeysAsync(TenantA)).Count);
    }

    [Fact]
    public async Task Update_tenant_replaces_it_and_missing_tenant_is_not_found()
    {
        await SeedAsync();
        var updated = Tenant(TenantA, "Contoso Ltd", "contoso.org") with { OnPremisesDomain = null, Policy = RealmPolicy.Default };
        await Store.UpdateTenantAsync(updated);
        AssertTenantEqual(updated, await Store.FindTenantAsync("contoso.org"));
        Assert.Null(await Store.FindTenantAsync("contoso.com"));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.UpdateTenantAsync(Tenant(Missing, "Ghost")));
    }

    [Fact]
    public async Task Inbound_trust_keys_are_per_realm_case_insensitive_replaced_whole_and_removed_by_an_empty_list()
    {
        await SeedAsync();
        Assert.Empty(await Store.GetInboundTrustKeysAsync(TenantA, "CONTOSO.LAB"));
        Assert.Empty(await Store.ListInboundTrustsAsync(TenantA));

        IReadOnlyList<StoredKey> keys = [Key(7, kvno: 3, salt: "CONTOSO.LABkrbtgtKERBEROS.MICROSOFTONLINE.COM"), Key(8, kvno: 3, etype: Protocol.Crypto.EncryptionType.Aes128CtsHmacSha196)];
        await Store.SetInboundTrustKeysAsync(TenantA, "contoso.lab", keys);
        await Store.SetInboundTrustKeysAsync(TenantA, "FABRIKAM.LAB", [Key(9)]);
        AssertKeysEqual(keys, await Store.GetInboundTrustKeysAsync(TenantA, "CONTOSO.LAB"));
        AssertKeysEqual(keys, await Store.GetInboundTrustKeysAsync(TenantA, "Contoso.Lab"));
        Assert.Equal(["CONTOSO.LAB", "FABRIKAM.LAB"], await Store.ListInboundTrustsAsync(TenantA));
        Assert.Empty(await Store.GetInboundTrustKeysAsync(TenantB, "CONTOSO.LAB"));

        IReadOnlyList<StoredKey> rotated = [Key(10, kvno: 4)];
        await Store.SetInboundTrustKeysAsync(TenantA, "CONTOSO.LAB", rotated);
        AssertKeysEqual(rotated, await Store.GetInboundTrustKeysAsync(TenantA, "contoso.lab"));

        await Store.SetInboundTrustKeysAsync(TenantA, "CONTOSO.LAB", []);
        Assert.Empty(await Store.GetInboundTrustKeysAsync(TenantA, "CONTOSO.LAB"));
        Assert.Equal(["FABRIKAM.LAB"], await Store.ListInboundTrustsAsync(TenantA));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.SetInboundTrustKeysAsync(Missing, "CONTOSO.LAB", keys));
    }

    [Fact]
    public async Task Krbtgt_keys_keep_their_order_and_fields_and_are_replaced_whole()
    {
        var expires = new DateTimeOffset(2029, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567);
        IReadOnlyList<StoredKey> keys = [Key(5, kvno: 7, salt: "s1", expiresOn: expires), Key(4, kvno: 9), Key(6, kvno: 8, etype: Protocol.Crypto.EncryptionType.Aes128CtsHmacSha196)];
        await Store.AddTenantAsync(Tenant(TenantA, "Contoso"), keys);
        AssertKeysEqual(keys, await Store.GetKrbtgtKeysAsync(TenantA));

        IReadOnlyList<StoredKey> rotated = [Key(10, kvno: 10), .. keys];
        await Store.SetKrbtgtKeysAsync(TenantA, rotated);
        AssertKeysEqual(rotated, await Store.GetKrbtgtKeysAsync(TenantA));
        Assert.Empty(await Store.GetKrbtgtKeysAsync(Missing));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.SetKrbtgtKeysAsync(Missing, keys));
    }

    [Fact]
    public async Task Users_round_trip_and_are_found_by_upn_or_sam_case_insensitively()
    {
        await SeedAsync();
        var alice = HybridUser(Alice, "alice@contoso.com", "alice", 1104, Admins, Staff);
        var bob = CloudUser(Bob, "Bob@Contoso.com");
        await Store.AddUserAsync(TenantA, alice);
        await Store.AddUserAsync(TenantA, bob);

        AssertUserEqual(alice, await Store.FindUserAsync(TenantA, "ALICE@contoso.COM"));
        AssertUserEqual(alice, await Store.FindUserAsync(TenantA, "Alice"));
        AssertUserEqual(bob, await Store.FindUserAsync(TenantA, "bob@contoso.com"));
        AssertUserEqual(alice, await Store.GetUserAsync(TenantA, Alice));
        Assert.Null(await Store.GetUserAsync(TenantA, Missing));
        Assert.Null(await Store.FindUserAsync(TenantA, "carol@contoso.com"));
        Assert.Null(await Store.FindUserAsync(TenantB, "alice"));
        Assert.Null(await Store.FindUserAsync(Missing, "alice"));

        var list = await Store.ListUsersAsync(TenantA);
        Assert.Equal(2, list.Count);
        AssertUserEqual(alice, list[0]);
        AssertUserEqual(bob, list[1]);
        Assert.Empty(await Store.ListUsersAsync(TenantB));
    }

    [Fact]
    public async Task User_reads_and_writes_on_a_missing_tenant_are_not_found()
    {
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.ListUsersAsync(Missing));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.GetUserAsync(Missing, Alice));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.AddUserAsync(Missing, CloudUser(Alice, "a@b.c")));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.UpdateUserAsync(Missing, CloudUser(Alice, "a@b.c")));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.DeleteUserAsync(Missing, Alice));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.ListGroupsAsync(Missing));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.AddGroupAsync(Missing, new DirectoryGroup { ObjectId = Admins, DisplayName = "x" }));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.ListServicePrincipalsAsync(Missing));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.GetServicePrincipalAsync(Missing, Files));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.AddServicePrincipalAsync(Missing, Service(Files, "f", "cifs/x")));
    }

    [Fact]
    public async Task User_conflicts_name_the_field_and_change_nothing()
    {
        await SeedAsync();
        var alice = HybridUser(Alice, "alice@contoso.com", "alice", 1104);
        var bob = HybridUser(Bob, "bob@contoso.com", "bob", 1105);
        await Store.AddUserAsync(TenantA, alice);
        await Store.AddUserAsync(TenantA, bob);

        await AssertConflictAsync("id", () => Store.AddUserAsync(TenantA, CloudUser(Alice, "new@contoso.com")));
        await AssertConflictAsync("userPrincipalName", () => Store.AddUserAsync(TenantA, CloudUser(Guid.NewGuid(), "ALICE@contoso.com")));
        await AssertConflictAsync("onPremisesSamAccountName", () => Store.AddUserAsync(TenantA, HybridUser(Guid.NewGuid(), "carol@contoso.com", "ALICE", 1106)));
        await AssertConflictAsync("userPrincipalName", () => Store.UpdateUserAsync(TenantA, bob with { UserPrincipalName = "Alice@Contoso.com", Keys = [] }));
        await AssertConflictAsync("onPremisesSamAccountName", () => Store.UpdateUserAsync(TenantA, bob with { OnPremises = bob.OnPremises! with { SamAccountName = "Alice" }, GroupIds = [Admins] }));

        // One SID, two accounts: each would be the other in every PAC.
        await AssertConflictAsync("onPremisesSecurityIdentifier", () => Store.AddUserAsync(TenantA, HybridUser(Guid.NewGuid(), "mallory@contoso.com", "mallory", 1104)));

        var users = await Store.ListUsersAsync(TenantA);
        Assert.Equal(2, users.Count);
        AssertUserEqual(alice, users[0]);
        AssertUserEqual(bob, users[1]);

        // Same names in another tenant are fine.
        await Store.AddUserAsync(TenantB, HybridUser(Guid.NewGuid(), "alice@contoso.com", "alice", 1104));
    }

    [Fact]
    public async Task A_verified_domain_has_one_owner_tenant()
    {
        await SeedAsync();

        await AssertConflictAsync("verifiedDomains", () => Store.AddTenantAsync(Tenant(Guid.NewGuid(), "Impostor", "CONTOSO.com"), [Key(4)]));
        var fabrikam = (await Store.FindTenantAsync(TenantB.ToString()))!;
        await AssertConflictAsync("verifiedDomains", () => Store.UpdateTenantAsync(fabrikam with { VerifiedDomains = ["fabrikam.com", "contoso.net"] }));

        Assert.Equal(TenantA, (await Store.FindTenantAsync("contoso.com"))!.Id);
        Assert.Equal(["fabrikam.com"], (await Store.FindTenantAsync(TenantB.ToString()))!.VerifiedDomains);
    }

    [Fact]
    public async Task Update_and_delete_user()
    {
        await SeedAsync();
        var alice = HybridUser(Alice, "alice@contoso.com", "alice", 1104, Admins);
        await Store.AddUserAsync(TenantA, alice);
        var renamed = alice with { UserPrincipalName = "alice.smith@contoso.com", OnPremises = null, Keys = [Key(77, kvno: 4)], GroupIds = [Staff, Admins] };
        await Store.UpdateUserAsync(TenantA, renamed);
        AssertUserEqual(renamed, await Store.FindUserAsync(TenantA, "alice.smith@contoso.com"));
        Assert.Null(await Store.FindUserAsync(TenantA, "alice"));
        Assert.Null(await Store.FindUserAsync(TenantA, "alice@contoso.com"));

        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.UpdateUserAsync(TenantA, CloudUser(Bob, "bob@contoso.com")));
        Assert.Null(await Store.GetUserAsync(TenantA, Bob));

        await Store.DeleteUserAsync(TenantA, Alice);
        Assert.Null(await Store.GetUserAsync(TenantA, Alice));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.DeleteUserAsync(TenantA, Alice));

        // The name is free again.
        await Store.AddUserAsync(TenantA, alice);
        AssertUserEqual(alice, await Store.FindUserAsync(TenantA, "alice"));
    }

    [Fact]
    public async Task Groups_round_trip_update_and_delete_removes_memberships()
    {
        await SeedAsync();
        var admins = new DirectoryGroup { ObjectId = Admins, DisplayName = "Admins", OnPremisesSecurityIdentifier = DomainSid.WithRid(512) };
        var staff = new DirectoryGroup { ObjectId = Staff, DisplayName = "all staff" };
        await Store.AddGroupAsync(TenantA, staff);
        await Store.AddGroupAsync(TenantA, admins);
        AssertGroupEqual(admins, await Store.FindGroupAsync(TenantA, Admins));
        AssertGroupEqual(staff, await Store.FindGroupAsync(TenantA, Staff));
        Assert.Null(await Store.FindGroupAsync(TenantB, Admins));
        Assert.Null(await Store.FindGroupAsync(Missing, Admins));
        Assert.Equal([Admins, Staff], (await Store.ListGroupsAsync(TenantA)).Select(g => g.ObjectId));

        await AssertConflictAsync("id", () => Store.AddGroupAsync(TenantA, staff with { DisplayName = "dup" }));
        Assert.Equal("all staff", (await Store.FindGroupAsync(TenantA, Staff))?.DisplayName);

        var renamed = staff with { DisplayName = "Staff", OnPremisesSecurityIdentifier = DomainSid.WithRid(1200) };
        await Store.UpdateGroupAsync(TenantA, renamed);
        AssertGroupEqual(renamed, await Store.FindGroupAsync(TenantA, Staff));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.UpdateGroupAsync(TenantA, renamed with { ObjectId = Missing }));

        await Store.AddUserAsync(TenantA, HybridUser(Alice, "alice@contoso.com", "alice", 1104, Admins, Staff));
        await Store.AddUserAsync(TenantA, HybridUser(Bob, "bob@contoso.com", "bob", 1105, Staff));
        await Store.DeleteGroupAsync(TenantA, Staff);
        Assert.Null(await Store.FindGroupAsync(TenantA, Staff));
        Assert.Equal([Admins], (await Store.GetUserAsync(TenantA, Alice))!.GroupIds);
        Assert.Empty((await Store.GetUserAsync(TenantA, Bob))!.GroupIds);
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.DeleteGroupAsync(TenantA, Staff));
    }

    [Fact]
    public async Task Service_principals_round_trip_and_are_found_by_spn_case_insensitively()
    {
        await SeedAsync();
        var files = Service(Files, "Files", "cifs/acct.file.core.windows.net", "HOST/acct.file.core.windows.net");
        var web = Service(Web, "A web app", "http/web.contoso.com") with { Tags = new HashSet<string>(StringComparer.OrdinalIgnoreCase), AccountEnabled = false };
        await Store.AddServicePrincipalAsync(TenantA, files);
        await Store.AddServicePrincipalAsync(TenantA, web);

        AssertServiceEqual(files, await Store.FindServicePrincipalAsync(TenantA, "CIFS/ACCT.file.core.windows.net"));
        AssertServiceEqual(files, await Store.FindServicePrincipalAsync(TenantA, "host/acct.file.core.windows.net"));
        AssertServiceEqual(web, await Store.GetServicePrincipalAsync(TenantA, Web));
        Assert.Null(await Store.GetServicePrincipalAsync(TenantA, Missing));
        Assert.Null(await Store.FindServicePrincipalAsync(TenantA, "cifs/other"));
        Assert.Null(await Store.FindServicePrincipalAsync(TenantB, "cifs/acct.file.core.windows.net"));
        Assert.Null(await Store.FindServicePrincipalAsync(Missing, "cifs/acct.file.core.windows.net"));

        var found = await Store.FindServicePrincipalAsync(TenantA, "cifs/acct.file.core.windows.net");
        Assert.Contains(ServicePrincipal.CloudGroupSidsTag.ToUpperInvariant(), found!.Tags);
        Assert.True(found.KeysBySpn.ContainsKey("HOST/ACCT.file.core.windows.net"));

        var list = await Store.ListServicePrincipalsAsync(TenantA);
        Assert.Equal([Web, Files], list.Select(s => s.ObjectId));
        AssertServiceEqual(files, list[1]);
    }

    [Fact]
    public async Task Spn_conflicts_name_the_field_and_change_nothing()
    {
        await SeedAsync();
        var files = Service(Files, "Files", "cifs/acct.file.core.windows.net");
        var web = Service(Web, "Web", "http/web.contoso.com");
        await Store.AddServicePrincipalAsync(TenantA, files);
        await Store.AddServicePrincipalAsync(TenantA, web);

        await AssertConflictAsync("id", () => Store.AddServicePrincipalAsync(TenantA, Service(Files, "Dup", "cifs/new")));
        await AssertConflictAsync("servicePrincipalNames", () => Store.AddServicePrincipalAsync(TenantA, Service(Guid.NewGuid(), "Clash", "cifs/new", "CIFS/Acct.File.Core.Windows.Net")));
        await AssertConflictAsync("servicePrincipalNames", () => Store.UpdateServicePrincipalAsync(TenantA, web with { ServicePrincipalNames = ["http/web.contoso.com", "cifs/ACCT.file.core.windows.net"], DisplayName = "changed" }));

        AssertServiceEqual(files, await Store.GetServicePrincipalAsync(TenantA, Files));
        AssertServiceEqual(web, await Store.GetServicePrincipalAsync(TenantA, Web));
        Assert.Null(await Store.FindServicePrincipalAsync(TenantA, "cifs/new"));
        Assert.Equal(2, (await Store.ListServicePrincipalsAsync(TenantA)).Count);

        // The same SPN in another tenant is fine.
        await Store.AddServicePrincipalAsync(TenantB, Service(Files, "Files", "cifs/acct.file.core.windows.net"));
    }

    [Fact]
    public async Task Update_and_delete_service_principal()
    {
        await SeedAsync();
        var files = Service(Files, "Files", "cifs/acct.file.core.windows.net", "host/acct");
        await Store.AddServicePrincipalAsync(TenantA, files);
        var moved = Service(Files, "Files v2", "cifs/acct2.file.core.windows.net") with { Tags = new HashSet<string>(["only"], StringComparer.OrdinalIgnoreCase) };
        await Store.UpdateServicePrincipalAsync(TenantA, moved);
        AssertServiceEqual(moved, await Store.FindServicePrincipalAsync(TenantA, "cifs/acct2.file.core.windows.net"));
        Assert.Null(await Store.FindServicePrincipalAsync(TenantA, "host/acct"));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.UpdateServicePrincipalAsync(TenantA, Service(Web, "Web", "http/web")));
        Assert.Null(await Store.FindServicePrincipalAsync(TenantA, "http/web"));

        await Store.DeleteServicePrincipalAsync(TenantA, Files);
        Assert.Null(await Store.GetServicePrincipalAsync(TenantA, Files));
        Assert.Null(await Store.FindServicePrincipalAsync(TenantA, "cifs/acct2.file.core.windows.net"));
        await Assert.ThrowsAsync<DirectoryObjectNotFoundException>(async () => await Store.DeleteServicePrincipalAsync(TenantA, Files));

        // Its SPNs are free again.
        await Store.AddServicePrincipalAsync(TenantA, Service(Web, "Web", "cifs/acct2.file.core.windows.net"));
    }

    private static async Task AssertConflictAsync(string field, Func<ValueTask> write)
    {
        var e = await Assert.ThrowsAsync<DirectoryConflictException>(async () => await write());
        Assert.Equal(field, e.Field);
    }
}

public sealed class InMemoryDirectoryStoreContractTests : DirectoryStoreContractTests
{
    protected override Task<IDirectoryAdminStore> CreateStoreAsync() => Task.FromResult<IDirectoryAdminStore>(new InMemoryDirectoryStore());
}

public sealed class SqliteDirectoryStoreContractTests : DirectoryStoreContractTests
{
    private readonly TempDirectory directory = new();

    protected override async Task<IDirectoryAdminStore> CreateStoreAsync() => await SqliteDirectoryStore.OpenAsync(directory.Path);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        directory.Delete();
    }
}
