using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Cli;

namespace KerberosCloudKdc.Server.Tests.Cli;

/// <summary>The cloudkdc CLI in-process, offline on a temp data directory: output captured, the store checked directly.</summary>
public sealed class CliTests
{
    private const string TenantId = "11111111-2222-4333-8444-555555555555";
    private const string DomainSid = "S-1-5-21-1000-2000-3000";

    private readonly string dataDirectory = TestData.TempDirectory();

    private sealed record Run(int Code, string Out, string Err)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement;
    }

    private async Task<Run> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CloudKdcCli.RunAsync(["--data-dir", dataDirectory, .. args], output, error);
        return new Run(code, output.ToString(), error.ToString());
    }

    private async Task<Run> OkAsync(params string[] args)
    {
        var run = await CliAsync(args);
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Err}{run.Out}");
        Assert.Equal(string.Empty, run.Err);
        return run;
    }

    private async Task AddTenantAsync() =>
        await OkAsync("tenant", "add", "Contoso", "--domain", "contoso.com", "--id", TenantId, "--onprem-domain", "contoso.com", "--domain-sid", DomainSid);

    private async Task<T> WithStoreAsync<T>(Func<SqliteStorage, Task<T>> use)
    {
        await using var storage = await SqliteStorage.OpenAsync(dataDirectory, new SignInRetention());
        return await use(storage);
    }

    private static Guid Tenant => Guid.Parse(TenantId);

    [Fact]
    public async Task Tenant_add_and_list()
    {
        Assert.Contains("(none)", (await OkAsync("tenant", "list")).Out, StringComparison.Ordinal);
        await AddTenantAsync();
        var second = await OkAsync("--json", "tenant", "add", "Fabrikam", "--domain", "fabrikam.com", "--domain", "fabrikam.net");
        Assert.False(second.Json.GetProperty("isDefault").GetBoolean());

        var list = (await OkAsync("tenant", "list", "--json")).Json;
        Assert.Equal(2, list.GetArrayLength());
        var contoso = list.EnumerateArray().Single(t => t.GetProperty("id").GetString() == TenantId);
        Assert.True(contoso.GetProperty("isDefault").GetBoolean());
        Assert.Equal("CONTOSO", contoso.GetProperty("onPremisesNetBiosName").GetString());

        var table = (await OkAsync("tenant", "list")).Out;
        Assert.Contains("Fabrikam", table, StringComparison.Ordinal);
        Assert.Contains("fabrikam.com,fabrikam.net", table, StringComparison.Ordinal);

        var duplicate = await CliAsync("tenant", "add", "Again", "--domain", "contoso.com");
        Assert.Equal(1, duplicate.Code);
        Assert.StartsWith("cloudkdc: ", duplicate.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_add_list_disable_and_set_password()
    {
        await AddTenantAsync();
        var added = await OkAsync("user", "add", "alice@contoso.com", "--password", "Passw0rd!", "--sam", "alice", "--sid", DomainSid + "-1104");
        Assert.Contains("alice@contoso.com", added.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Passw0rd!", added.Out, StringComparison.Ordinal);

        var users = (await OkAsync("--json", "user", "list")).Json;
        var alice = Assert.Single(users.EnumerateArray());
        Assert.True(alice.GetProperty("onPremisesSyncEnabled").GetBoolean());
        Assert.Equal("contoso.com", alice.GetProperty("onPremisesDomainName").GetString());

        var disabled = (await OkAsync("user", "disable", "alice@contoso.com", "--json")).Json;
        Assert.False(disabled.GetProperty("accountEnabled").GetBoolean());

        await OkAsync("user", "set-password", "alice", "--password", "N3w-Passw0rd");
        var user = await WithStoreAsync(s => s.Directory.FindUserAsync(Tenant, "alice@contoso.com").AsTask());
        Assert.NotNull(user);
        Assert.False(user.AccountEnabled);
        var key = Assert.Single(user.Keys);
        Assert.Equal(2u, key.Kvno);
        var expected = KeyFactory.ForUser("N3w-Passw0rd", "alice@contoso.com", [EncryptionType.Aes256CtsHmacSha196], 2).Single();
        Assert.Equal(expected.Key.Value.ToArray(), key.Key.Value.ToArray());

        Assert.Contains("alice@contoso.com", (await OkAsync("user", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generated_password_is_shown_once_and_is_the_one_stored()
    {
        await AddTenantAsync();
        var human = await OkAsync("user", "add", "bob@contoso.com");
        Assert.Contains("shown this once", human.Out, StringComparison.Ordinal);

        var json = (await OkAsync("user", "add", "carol@contoso.com", "--json")).Json;
        var password = json.GetProperty("generatedPassword").GetString()!;
        Assert.True(password.Length >= 16);
        var user = await WithStoreAsync(s => s.Directory.FindUserAsync(Tenant, "carol@contoso.com").AsTask());
        var expected = KeyFactory.ForUser(password, "carol@contoso.com", [EncryptionType.Aes256CtsHmacSha196], 1).Single();
        Assert.Equal(expected.Key.Value.ToArray(), user!.Keys.Single().Key.Value.ToArray());

        var listed = (await OkAsync("user", "list", "--json")).Out;
        Assert.DoesNotContain(password, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_add_and_add_member()
    {
        await AddTenantAsync();
        await OkAsync("user", "add", "alice@contoso.com", "--password", "Passw0rd!");
        var group = (await OkAsync("group", "add", "File Admins", "--json")).Json;
        var groupId = Guid.Parse(group.GetProperty("id").GetString()!);
        Assert.StartsWith("S-1-12-1-", group.GetProperty("securityIdentifier").GetString(), StringComparison.Ordinal);

        await OkAsync("group", "add-member", "file admins", "alice@contoso.com");
        var user = await WithStoreAsync(s => s.Directory.FindUserAsync(Tenant, "alice@contoso.com").AsTask());
        Assert.Contains(groupId, user!.GroupIds);

        var again = await CliAsync("group", "add-member", groupId.ToString(), "alice@contoso.com");
        Assert.Equal(1, again.Code);
        Assert.Contains("already a member", again.Err, StringComparison.Ordinal);

        var noGroup = await CliAsync("group", "add-member", "Nobody", "alice@contoso.com");
        Assert.Equal(1, noGroup.Code);
        Assert.Contains("no group 'Nobody'", noGroup.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_account_and_keytab_export()
    {
        await AddTenantAsync();
        var account = (await OkAsync("storage-account", "add", "labfiles", "--password", "Acct-Passw0rd", "--json")).Json;
        Assert.False(account.TryGetProperty("password", out _));
        Assert.Contains("CIFS/labfiles.file.core.windows.net", account.GetProperty("servicePrincipalNames").EnumerateArray().Select(e => e.GetString()));

        var file = Path.Combine(dataDirectory, "labfiles.keytab");
        await OkAsync("keytab", "export", "--spn", "cifs/labfiles.file.core.windows.net", "--out", file);
        var keytab = await KeytabFile.ReadAsync(file);
        var entry = Assert.Single(keytab.Entries);
        Assert.Equal(CloudRealm.Name, entry.Realm);
        Assert.Equal("cifs/labfiles.file.core.windows.net", string.Join('/', entry.Principal.Components));
        Assert.Equal(1u, entry.Kvno);
        var expected = KeyFactory.ForServicePrincipal("Acct-Passw0rd", ["cifs/labfiles.file.core.windows.net"], [EncryptionType.Aes256CtsHmacSha196]).Values.Single().Single();
        Assert.Equal(expected.Key.Value.ToArray(), entry.Key.Value.ToArray());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var generated = await OkAsync("storage-account", "add", "otherfiles");
        Assert.Contains("shown this once", generated.Out, StringComparison.Ordinal);

        var duplicate = await CliAsync("storage-account", "add", "labfiles");
        Assert.Equal(1, duplicate.Code);
        Assert.Contains("already registered", duplicate.Err, StringComparison.Ordinal);

        var badName = await CliAsync("storage-account", "add", "Bad_Name");
        Assert.Equal(1, badName.Code);
        Assert.Contains(StorageAccounts.NameRule, badName.Err, StringComparison.Ordinal);

        var unknownSpn = await CliAsync("keytab", "export", "--spn", "cifs/nobody.file.core.windows.net", "--out", file);
        Assert.Equal(1, unknownSpn.Code);
        Assert.Contains("no service principal owns", unknownSpn.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_principal_add_shows_its_secret_once()
    {
        await AddTenantAsync();
        var sp = (await OkAsync("sp", "add", "Web", "--spn", "HTTP/web.contoso.com", "--tag", "kdc_enable_cloud_group_sids", "--json")).Json;
        var secret = sp.GetProperty("passwordCredential").GetProperty("secretText").GetString()!;
        var stored = await WithStoreAsync(s => s.Directory.FindServicePrincipalAsync(Tenant, "http/web.contoso.com").AsTask());
        var key = stored!.KeysBySpn["http/web.contoso.com"].Single();
        var expected = KeyFactory.ForServicePrincipal(secret, ["HTTP/web.contoso.com"], [EncryptionType.Aes256CtsHmacSha196]).Values.Single().Single();
        Assert.Equal(expected.Key.Value.ToArray(), key.Key.Value.ToArray());
        Assert.Contains("kdc_enable_cloud_group_sids", stored.Tags);
    }

    [Fact]
    public async Task Krbtgt_rotate_adds_the_next_kvno()
    {
        await AddTenantAsync();
        var rotated = (await OkAsync("krbtgt", "rotate", "--json")).Json;
        Assert.Equal(2, rotated.GetProperty("kvno").GetInt32());
        Assert.Equal([2, 1], rotated.GetProperty("keyVersions").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Contains("New kvno:", (await OkAsync("krbtgt", "rotate")).Out, StringComparison.Ordinal);
        var keys = await WithStoreAsync(s => s.Directory.GetKrbtgtKeysAsync(Tenant).AsTask());
        Assert.Equal([3u, 2u], keys.Select(k => k.Kvno)); // current and previous, as AD keeps them

    }

    [Fact]
    public async Task Krb5conf_and_gpo_reg()
    {
        await AddTenantAsync();
        var conf = (await OkAsync("krb5conf", "--origin", "https://kdc.lab.test:9443")).Out;
        Assert.Contains($"kdc = https://kdc.lab.test:9443/{TenantId}/kerberos", conf, StringComparison.Ordinal);
        Assert.Contains("default_realm = KERBEROS.MICROSOFTONLINE.COM", conf, StringComparison.Ordinal);

        var reg = Path.Combine(dataDirectory, "cloudkdc.reg");
        await OkAsync("gpo", "--reg", reg, "--origin", "https://kdc.lab.test:9443");
        var text = await File.ReadAllTextAsync(reg, Encoding.UTF8);
        Assert.StartsWith("Windows Registry Editor Version 5.00\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"<https kdc.lab.test:9443:{TenantId}/kerberos />", text, StringComparison.Ordinal);

        var gpo = (await OkAsync("gpo", "--json")).Json;
        Assert.Equal(CloudRealm.Name, gpo.GetProperty("realm").GetString());
        Assert.Contains("KdcProxy", (await OkAsync("gpo")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signins_filters_by_user_and_failure()
    {
        await AddTenantAsync();
        await WithStoreAsync(async s =>
        {
            var now = DateTimeOffset.UtcNow;
            await s.SignInLog.AppendAsync(Event(now.AddSeconds(-2), "alice@contoso.com", succeeded: true));
            await s.SignInLog.AppendAsync(Event(now.AddSeconds(-1), "bob@contoso.com", succeeded: false));
            return true;
        });

        var all = (await OkAsync("signins", "--json")).Json;
        Assert.Equal(2, all.GetArrayLength());
        var alice = (await OkAsync("signins", "--user", "alice@contoso.com", "--json")).Json;
        Assert.Equal("alice@contoso.com", Assert.Single(alice.EnumerateArray()).GetProperty("userPrincipalName").GetString());
        var failed = (await OkAsync("signins", "--failed", "--json")).Json;
        Assert.Equal(
            (int)KerberosErrorCode.KDC_ERR_PREAUTH_FAILED,
            Assert.Single(failed.EnumerateArray()).GetProperty("status").GetProperty("errorCode").GetInt32());
        Assert.Single((await OkAsync("signins", "--top", "1", "--json")).Json.EnumerateArray());
        Assert.Contains("bob@contoso.com", (await OkAsync("signins")).Out, StringComparison.Ordinal);
    }

    private static SignInEvent Event(DateTimeOffset time, string client, bool succeeded) => new()
    {
        Id = Guid.NewGuid(),
        Time = time,
        TenantId = Tenant,
        Kind = SignInKind.As,
        Client = client,
        Service = "krbtgt/KERBEROS.MICROSOFTONLINE.COM",
        Succeeded = succeeded,
        ErrorCode = succeeded ? null : KerberosErrorCode.KDC_ERR_PREAUTH_FAILED,
        Reason = succeeded ? null : "wrong password",
    };

    [Fact]
    public async Task Errors_go_to_stderr_with_exit_codes()
    {
        var noTenant = await CliAsync("user", "list");
        Assert.Equal(1, noTenant.Code);
        Assert.Contains("no tenant yet", noTenant.Err, StringComparison.Ordinal);

        await AddTenantAsync();
        var unknownTenant = await CliAsync("--tenant", "nowhere.example", "user", "list");
        Assert.Equal(1, unknownTenant.Code);
        Assert.Contains("'nowhere.example' is not a tenant", unknownTenant.Err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, unknownTenant.Out);

        await OkAsync("--tenant", "contoso.com", "user", "add", "alice@contoso.com", "--password", "Passw0rd!");
        var duplicate = await CliAsync("user", "add", "alice@contoso.com", "--password", "Passw0rd!");
        Assert.Equal(1, duplicate.Code);
        Assert.Contains("userPrincipalName", duplicate.Err, StringComparison.Ordinal);

        var badUpn = await CliAsync("user", "add", "alice@fabrikam.com", "--password", "Passw0rd!");
        Assert.Equal(1, badUpn.Code);
        Assert.Contains("must be user@verified-domain", badUpn.Err, StringComparison.Ordinal);

        var noSuchUser = await CliAsync("user", "disable", "zed@contoso.com");
        Assert.Equal(1, noSuchUser.Code);

        foreach (var usage in new[] { new[] { "user" }, ["user", "frobnicate"], ["signins", "--top", "0"], ["keytab", "export", "--spn", "x/y"] })
        {
            var run = await CliAsync(usage);
            Assert.True(run.Code == 2, $"{string.Join(' ', usage)}: exit {run.Code}");
            Assert.Contains("cloudkdc --help", run.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_explicit_url_means_online_even_with_a_data_dir()
    {
        var unreachable = await CliAsync("--url", "https://127.0.0.1:1", "--api-key", "some-key-0123456789", "user", "list");
        Assert.Equal(1, unreachable.Code);
        Assert.Contains("cannot reach https://127.0.0.1:1", unreachable.Err, StringComparison.Ordinal);

        var notUrl = await CliAsync("--url", "ftp://example", "--api-key", "k", "user", "list");
        Assert.Equal(2, notUrl.Code);
        Assert.Contains("--url", notUrl.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--urls", "https://127.0.0.1:9443" }, false)]
    [InlineData(new[] { "--CloudKdc:Store=memory" }, false)]
    [InlineData(new[] { "--CloudKdc:DataDirectory", "/tmp/x", "--urls", "https://0.0.0.0:443" }, false)]
    [InlineData(new[] { "serve", "--urls", "https://127.0.0.1:9443" }, false)]
    [InlineData(new[] { "user", "list" }, true)]
    [InlineData(new[] { "--data-dir", "/tmp/x", "user", "list" }, true)]
    [InlineData(new[] { "--json", "tenant", "list" }, true)]
    [InlineData(new[] { "--help" }, true)]
    public void Routes_host_arguments_to_the_server_and_commands_to_the_cli(string[] args, bool cli)
    {
        var (isCli, hostArguments) = CloudKdcCli.Route(args);
        Assert.Equal(cli, isCli);
        if (!cli)
        {
            Assert.DoesNotContain("serve", hostArguments);
            Assert.Equal(args.Where(a => a != "serve"), hostArguments);
        }
    }
}
