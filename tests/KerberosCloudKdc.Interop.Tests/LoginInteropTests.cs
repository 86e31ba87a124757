using System.Text.Json;
using KerberosCloudKdc.Protocol.Tests.Interop;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// cloudkdc login against the real server: the device registers through the admin API, the PRT request goes to the
/// token endpoint, and the TGT it writes is used by unmodified MIT tools (klist, kvno through the KDC proxy) without
/// a password ever reaching Kerberos.
/// </summary>
public sealed class LoginInteropTests(CloudKdcFixture fixture) : IClassFixture<CloudKdcFixture>
{
    private static readonly string CloudKrbtgt = $"krbtgt/{CloudKdcProcess.Realm}@{CloudKdcProcess.Realm}";

    private CloudKdcProcess Server => fixture.Server;

    /// <summary>dotnet cloudkdc.dll login …, the password on stdin; no admin key in the environment unless given.</summary>
    private Task<ProcessResult> LoginAsync(string password, params string[] args) =>
        LoginInAsync(Path.Combine(Server.Directory, "must-not-be-used"), password, ["--tenant", CloudKdcProcess.DemoTenantId, .. args]);

    /// <summary>As <see cref="LoginAsync"/> with KRB5CCNAME set to <paramref name="defaultCache"/> and no implicit --tenant.</summary>
    private async Task<ProcessResult> LoginInAsync(string defaultCache, string password, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_NOLOGO"] = "1",
            ["CLOUDKDC_API_KEY"] = string.Empty,
            ["CLOUDKDC_PASSWORD"] = string.Empty,
            ["KRB5CCNAME"] = "FILE:" + defaultCache,
            ["XDG_CONFIG_HOME"] = Path.Combine(Server.Directory, "xdg-must-not-be-used"),
        };
        return await MitTools.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "cloudkdc.dll"), "login", "--url", Server.BaseUri.ToString(), "--ca", Server.CaPath, "--password-stdin", .. args],
            environment,
            password + "\n",
            TimeSpan.FromSeconds(90));
    }

    private async Task AssertKvnoWorksAsync(MitClient client)
    {
        var klist = await client.RunAsync("klist", ["-c", client.CachePath]);
        Assert.True(klist.ExitCode == 0, klist.Output);
        Assert.Contains(CloudKrbtgt, klist.StdOut, StringComparison.Ordinal);

        // kvno uses the cached TGT (KRB5CCNAME is the client's cache) for a TGS-REQ through the KDC proxy.
        var kvno = await client.RunAsync("kvno", [DemoTenant.CifsSpn]);
        Assert.True(kvno.ExitCode == 0, kvno.Output + Server.Output);
        Assert.Contains(DemoTenant.CifsSpn, kvno.StdOut, StringComparison.Ordinal);
        var after = await client.RunAsync("klist", ["-c", client.CachePath]);
        Assert.Contains(DemoTenant.CifsPrincipal, after.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registered_device_logs_in_and_mit_kvno_uses_the_tgt()
    {
        using var client = new MitClient(Server);
        var device = Path.Combine(client.Directory, "device");

        var login = await LoginAsync(
            DemoTenant.AlicePassword,
            "--user", DemoTenant.AliceUpn, "--register", "--api-key", Server.AdminApiKey, "--device", device, "--ccache", client.CachePath, "--json");

        Assert.True(login.ExitCode == 0, login.Output + Server.Output);
        var report = JsonDocument.Parse(login.StdOut).RootElement;
        var cloud = report.GetProperty("tgt_cloud");
        Assert.Equal(CloudKdcProcess.Realm, cloud.GetProperty("realm").GetString());
        Assert.Equal(18, cloud.GetProperty("keyType").GetInt32());
        Assert.Equal(client.CachePath, cloud.GetProperty("ccache").GetString());
        Assert.Equal("Bearer", report.GetProperty("token_type").GetString());
        Assert.DoesNotContain("session_key", login.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoTenant.AlicePassword, login.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(device, "registration.json")));
        await AssertKvnoWorksAsync(client);

        // The demo tenant has cloud Kerberos trust for contoso.com: the partial TGT lands in <ccache>.ad for MIT klist.
        var ad = report.GetProperty("tgt_ad");
        Assert.Equal("CONTOSO.COM", ad.GetProperty("realm").GetString());
        Assert.Equal(18, ad.GetProperty("keyType").GetInt32());
        var adKlist = await client.RunAsync("klist", ["-c", client.CachePath + ".ad"]);
        Assert.True(adKlist.ExitCode == 0, adKlist.Output);
        Assert.Contains("Default principal: alice@CONTOSO.COM", adKlist.StdOut, StringComparison.Ordinal);
        Assert.Contains("krbtgt/CONTOSO.COM@CONTOSO.COM", adKlist.StdOut, StringComparison.Ordinal);

        // The second login reuses the registration (no admin key now), gets a fresh nonce, finds the tenant from the
        // UPN's domain and writes to the cache KRB5CCNAME names.
        using var again = new MitClient(Server);
        var second = await LoginInAsync(again.CachePath, DemoTenant.AlicePassword, "--user", DemoTenant.AliceUpn, "--device", device);
        Assert.True(second.ExitCode == 0, second.Output + Server.Output);
        Assert.Contains("Cloud TGT for", second.StdOut, StringComparison.Ordinal);
        await AssertKvnoWorksAsync(again);
    }

    [Fact]
    public async Task The_lab_password_grant_writes_a_usable_tgt()
    {
        using var client = new MitClient(Server);

        var login = await LoginAsync(DemoTenant.AlicePassword, "--user", DemoTenant.AliceUpn, "--password-grant", "--ccache", "FILE:" + client.CachePath);

        Assert.True(login.ExitCode == 0, login.Output + Server.Output);
        await AssertKvnoWorksAsync(client);
    }

    [Fact]
    public async Task A_wrong_password_is_an_entra_error_and_exit_code_1()
    {
        using var client = new MitClient(Server);

        var login = await LoginAsync(
            "Wrong-Passw0rd!", "--user", DemoTenant.AliceUpn, "--register", "--api-key", Server.AdminApiKey,
            "--device", Path.Combine(client.Directory, "device"), "--ccache", client.CachePath);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("AADSTS", login.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Trace ID", login.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(client.CachePath));
    }

    [Fact]
    public async Task A_lost_registration_state_is_recovered_from_the_409()
    {
        using var client = new MitClient(Server);
        var device = Path.Combine(client.Directory, "device");
        var first = await LoginAsync(
            DemoTenant.AlicePassword, "--user", DemoTenant.AliceUpn, "--register", "--api-key", Server.AdminApiKey, "--device", device, "--ccache", client.CachePath);
        Assert.True(first.ExitCode == 0, first.Output + Server.Output);
        File.Delete(Path.Combine(device, "registration.json"));

        // The admin API answers 409 for the known certificate; login checks the listed thumbprint and carries on.
        var second = await LoginAsync(
            DemoTenant.AlicePassword, "--user", DemoTenant.AliceUpn, "--register", "--api-key", Server.AdminApiKey, "--device", device, "--ccache", client.CachePath);

        Assert.True(second.ExitCode == 0, second.Output + Server.Output);
        Assert.DoesNotContain("Registered device", second.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(device, "registration.json")));
    }

    [Fact]
    public async Task A_cloud_only_user_gets_no_cloud_tgt_and_exit_code_1()
    {
        using var client = new MitClient(Server);

        var login = await LoginAsync(DemoTenant.CarolPassword, "--user", "carol@contoso.com", "--password-grant", "--ccache", client.CachePath);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("no cloud TGT: user is not synced from on-premises AD", login.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(client.CachePath));
    }

    [Fact]
    public async Task An_unregistered_device_is_refused()
    {
        using var client = new MitClient(Server);

        var login = await LoginAsync(
            DemoTenant.AlicePassword, "--user", DemoTenant.AliceUpn, "--device", Path.Combine(client.Directory, "device"), "--ccache", client.CachePath);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("AADSTS", login.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(client.CachePath));
    }

    [Fact]
    public async Task Login_then_refresh_without_a_password_writes_a_tgt_mit_kvno_uses()
    {
        using var first = new MitClient(Server);
        var device = Path.Combine(first.Directory, "device");
        var login = await LoginAsync(
            DemoTenant.AlicePassword, "--user", DemoTenant.AliceUpn, "--register", "--api-key", Server.AdminApiKey, "--device", device, "--ccache", first.CachePath);
        Assert.True(login.ExitCode == 0, login.Output + Server.Output);
        var store = Path.Combine(device, "prt.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }

        var storedBefore = await File.ReadAllTextAsync(store);

        // No --password-stdin, no password anywhere: the stored PRT's session key signs the renewal.
        using var renewed = new MitClient(Server);
        var refresh = await MitTools.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "cloudkdc.dll"), "login", "--url", Server.BaseUri.ToString(), "--ca", Server.CaPath,
             "--tenant", CloudKdcProcess.DemoTenantId, "--user", DemoTenant.AliceUpn, "--refresh", "--device", device, "--ccache", renewed.CachePath, "--json"],
            new Dictionary<string, string>
            {
                ["DOTNET_NOLOGO"] = "1",
                ["CLOUDKDC_PASSWORD"] = string.Empty,
                ["XDG_CONFIG_HOME"] = Path.Combine(Server.Directory, "xdg-must-not-be-used"),
            },
            string.Empty,
            TimeSpan.FromSeconds(90));

        Assert.True(refresh.ExitCode == 0, refresh.Output + Server.Output);
        var report = JsonDocument.Parse(refresh.StdOut).RootElement;
        Assert.True(report.GetProperty("refresh_token_received").GetBoolean());
        Assert.Equal(CloudKdcProcess.Realm, report.GetProperty("tgt_cloud").GetProperty("realm").GetString());
        Assert.DoesNotContain("session_key", refresh.StdOut, StringComparison.Ordinal);
        Assert.NotEqual(storedBefore, await File.ReadAllTextAsync(store));
        await AssertKvnoWorksAsync(renewed);
    }
}
