using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Pac;
using KerberosCloudKdc.Server.Cli;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Cli;

/// <summary>cloudkdc cloudtrust: offline on a temp data directory, and the online backend through the admin API.</summary>
public sealed class CloudTrustCliTests : IDisposable
{
    private const string TenantId = "11111111-2222-4333-8444-555555555555";
    private const string DomainSid = "S-1-5-21-1000-2000-3000";
    private readonly string dataDirectory = TestData.TempDirectory();
    private readonly AdminFactory factory = new();

    public void Dispose() => factory.Dispose();

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

    [Fact]
    public void Cloudtrust_is_a_cli_command()
    {
        Assert.True(CloudKdcCli.Route(["cloudtrust", "show"]).IsCli);
    }

    [Fact]
    public async Task Set_show_rotate_export_and_remove_offline()
    {
        await OkAsync("tenant", "add", "Contoso", "--domain", "contoso.com", "--id", TenantId, "--onprem-domain", "contoso.com", "--domain-sid", DomainSid);

        var set = (await OkAsync("--json", "cloudtrust", "set", "--domain", "contoso.com", "--rodc", "9898", "--password", "Lab-Passw0rd!", "--key-version", "192272",
            "--deny", DomainSid + "-512", "--deny", "S-1-5-32-544")).Json;
        Assert.Equal(9898, set.GetProperty("Id").GetInt32());
        Assert.Equal([DomainSid + "-512", "S-1-5-32-544"], set.GetProperty("DeniedGroups").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(DomainSid + "-513", set.GetProperty("AllowedGroups").EnumerateArray().Select(e => e.GetString()));

        // Stored as the AD-salted key of krbtgt_9898, encrypted at rest.
        var stored = await WithStoreAsync(s => s.Directory.GetCloudTrustAsync(Guid.Parse(TenantId), "CONTOSO.COM").AsTask());
        Assert.Equal(
            KerberosEncryption.StringToKey(EncryptionType.Aes256CtsHmacSha196, "Lab-Passw0rd!", "CONTOSO.COMkrbtgt_9898").Value.ToArray(),
            stored!.Keys[0].Key.Value.ToArray());
        Assert.Equal([SecurityIdentifier.Parse(DomainSid + "-512"), SecurityIdentifier.Parse("S-1-5-32-544")], stored.DeniedGroupSids);

        var table = (await OkAsync("cloudtrust", "show")).Out;
        Assert.Contains("contoso.com", table, StringComparison.Ordinal);
        Assert.Contains("192272", table, StringComparison.Ordinal);
        var one = await OkAsync("cloudtrust", "show", "--domain", "CONTOSO.COM");
        Assert.Contains("CN=krbtgt_AzureAD,CN=Users,DC=contoso,DC=com", one.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(stored.Keys[0].Key.Value.ToArray()), one.Out, StringComparison.OrdinalIgnoreCase);

        var refused = await CliAsync("cloudtrust", "rotate", "--domain", "contoso.com");
        Assert.Equal(1, refused.Code);
        Assert.Contains("force", refused.Err, StringComparison.Ordinal);
        var rotated = (await OkAsync("--json", "cloudtrust", "rotate", "--domain", "contoso.com", "--force")).Json;
        Assert.Equal([192273L, 192272L], rotated.GetProperty("KeyVersions").EnumerateArray().Select(e => e.GetInt64()));

        var path = Path.Combine(dataDirectory, "dc.keytab");
        await OkAsync("cloudtrust", "export", "--domain", "contoso.com", "--out", path);
        var keytab = await KeytabFile.ReadAsync(path);
        Assert.Equal(4, keytab.Entries.Count);
        Assert.Contains(keytab.Entries, e => e.Kvno == ((9898u << 16) | (192273 & 0xFFFF)) && e.Principal.FullName == "krbtgt_9898");
        Assert.Contains(keytab.Entries, e => e.Kvno == ((9898u << 16) | (192272 & 0xFFFF)) && e.Principal.FullName == "krbtgt/CONTOSO.COM");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        await OkAsync("cloudtrust", "remove", "--domain", "contoso.com");
        Assert.Contains("(none)", (await OkAsync("cloudtrust", "show")).Out, StringComparison.Ordinal);
        var missing = await CliAsync("cloudtrust", "remove", "--domain", "contoso.com");
        Assert.Equal(1, missing.Code);
        Assert.Contains("no cloud trust", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_usage_errors_exit_2()
    {
        await OkAsync("tenant", "add", "Contoso", "--domain", "contoso.com", "--id", TenantId, "--onprem-domain", "contoso.com", "--domain-sid", DomainSid);
        var both = await CliAsync("cloudtrust", "set", "--domain", "contoso.com", "--rodc", "1", "--password", "p", "--key", "kk:AAAA");
        Assert.Equal(1, both.Code);
        Assert.Contains("password: give exactly one of password or key", both.Err, StringComparison.Ordinal);
        var badSid = await CliAsync("cloudtrust", "set", "--domain", "contoso.com", "--rodc", "1", "--password", "p", "--allow", "Domain Users");
        Assert.Contains("allowedGroups[0]: not a SID", badSid.Err, StringComparison.Ordinal);
        var badDomain = await CliAsync("cloudtrust", "set", "--domain", "not_a_domain", "--rodc", "1", "--password", "p");
        Assert.Contains("domain:", badDomain.Err, StringComparison.Ordinal);
        Assert.Equal(2, (await CliAsync("cloudtrust", "set", "--domain", "contoso.com")).Code);
        Assert.Equal(2, (await CliAsync("cloudtrust", "export", "--domain", "contoso.com")).Code);
    }

    [Fact]
    public async Task Online_backend_manages_the_trust_through_the_admin_api()
    {
        await using var backend = new OnlineBackend(factory.Admin(), tenant: null);
        var key = "kk:" + Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray());
        var set = await backend.SetCloudTrustAsync("lab.contoso.com", new JsonObject { ["rodcNumber"] = 12, ["key"] = key, ["keyVersion"] = 70000 }, default);
        Assert.Equal((12L << 16) | (70000 & 0xFFFF), set["TicketKvno"]!.GetValue<long>());
        Assert.Contains(await backend.ListCloudTrustsAsync(default), t => CliLookup.Text(t, "DomainDnsName") == "lab.contoso.com");
        Assert.Equal(12, (await backend.GetCloudTrustAsync("LAB.contoso.com", default))["Id"]!.GetValue<int>());

        var keytab = KeytabFile.Parse(await backend.ExportCloudTrustKeytabAsync("lab.contoso.com", default));
        Assert.All(keytab.Entries, e => Assert.Equal((12u << 16) | (70000 & 0xFFFF), e.Kvno));
        var rotated = await backend.RotateCloudTrustAsync("lab.contoso.com", force: true, default);
        Assert.Equal(70001, rotated["KeyVersion"]!.GetValue<long>());

        await backend.RemoveCloudTrustAsync("lab.contoso.com", default);
        var gone = await Assert.ThrowsAsync<CliException>(() => backend.GetCloudTrustAsync("lab.contoso.com", default));
        Assert.Contains("HTTP 404", gone.Message, StringComparison.Ordinal);
    }

    private async Task<T> WithStoreAsync<T>(Func<SqliteStorage, Task<T>> use)
    {
        await using var storage = await SqliteStorage.OpenAsync(dataDirectory, new SignInRetention());
        return await use(storage);
    }
}
