using System.Text.Json;
using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// The real cloudkdc executable as an admin tool against the real server (online, through the admin API), checked
/// with real MIT clients: a user it adds can kinit, the sign-in shows up in its log, a keytab it exports opens tickets.
/// </summary>
public sealed class CliInteropTests(CloudKdcFixture fixture) : IClassFixture<CloudKdcFixture>
{
    private CloudKdcProcess Server => fixture.Server;

    private string ApiKey => File.ReadAllText(Path.Combine(Server.DataDirectory, "admin-api-key")).Trim();

    /// <summary>Runs "dotnet cloudkdc.dll …" online against the server: --url and --ca here, the key from the environment.</summary>
    private async Task<ProcessResult> CloudKdcAsync(params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["CLOUDKDC_API_KEY"] = ApiKey,
            ["DOTNET_NOLOGO"] = "1",
        };
        return await MitTools.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "cloudkdc.dll"), "--url", Server.BaseUri.ToString(), "--ca", Server.CaPath, .. args],
            environment,
            timeout: TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_user_added_online_can_kinit_and_the_sign_in_is_logged()
    {
        const string password = "Dave-Cli-Passw0rd!";
        var add = await CloudKdcAsync(
            "user", "add", "dave@contoso.com", "--password", password, "--sam", "dave", "--sid", DemoTenant.DomainSid + "-1190", "--json");
        Assert.True(add.ExitCode == 0, add.Output + Server.Output);
        Assert.True(JsonDocument.Parse(add.StdOut).RootElement.GetProperty("onPremisesSyncEnabled").GetBoolean());
        Assert.DoesNotContain(password, add.StdOut, StringComparison.Ordinal);

        using var client = new MitClient(Server);
        var kinit = await client.KinitAsync(password, "dave");
        Assert.True(kinit.ExitCode == 0, kinit.Output + Server.Output);

        var signIns = await CloudKdcAsync("signins", "--json", "--top", "100");
        Assert.True(signIns.ExitCode == 0, signIns.Output);
        var events = JsonDocument.Parse(signIns.StdOut).RootElement.EnumerateArray().ToList();
        Assert.Contains(events, e =>
            e.GetProperty("kind").GetString() == "as"
            && e.GetProperty("status").GetProperty("errorCode").GetInt32() == 0
            && (e.GetProperty("userPrincipalName").GetString() ?? string.Empty).Contains("dave", StringComparison.OrdinalIgnoreCase));

        var duplicate = await CloudKdcAsync("user", "add", "dave@contoso.com", "--password", password);
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("userPrincipalName", duplicate.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exported_keytab_opens_the_storage_account_ticket()
    {
        using var client = new MitClient(Server);
        var keytab = Path.Combine(client.Directory, "cli.keytab");
        var export = await CloudKdcAsync("keytab", "export", "--spn", DemoTenant.CifsSpn, "--out", keytab);
        Assert.True(export.ExitCode == 0, export.Output + Server.Output);

        Assert.Equal(0, (await client.KinitAsync(DemoTenant.AlicePassword, "alice")).ExitCode);
        var kvno = await client.RunAsync("kvno", ["-k", keytab, DemoTenant.CifsSpn]);

        Assert.True(kvno.ExitCode == 0, kvno.Output + Server.Output);
        Assert.Contains("keytab entry valid", kvno.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_api_key_is_refused_with_exit_code_1()
    {
        var result = await MitTools.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "cloudkdc.dll"), "--url", Server.BaseUri.ToString(), "--ca", Server.CaPath, "--api-key", "wrong-key-0123456789", "user", "list"],
            new Dictionary<string, string> { ["CLOUDKDC_API_KEY"] = string.Empty, ["DOTNET_NOLOGO"] = "1" },
            timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused the admin API key", result.StdErr, StringComparison.Ordinal);
    }
}
