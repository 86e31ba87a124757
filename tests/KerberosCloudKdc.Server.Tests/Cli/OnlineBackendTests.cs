using System.Text.Json.Nodes;
using KerberosCloudKdc.Server.Cli;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Cli;

/// <summary>The CLI's online backend against the real host in-process: the same commands' calls, through the admin API.</summary>
public sealed class OnlineBackendTests : IDisposable
{
    private readonly AdminFactory factory = new();

    public void Dispose() => factory.Dispose();

    private OnlineBackend Backend(string? tenant = null) => new(factory.Admin(), tenant);

    [Fact]
    public async Task Without_tenant_it_works_on_the_default_tenant_through_common()
    {
        await using var backend = Backend();
        var tenants = await backend.ListTenantsAsync(default);
        Assert.Contains(tenants, t => CliLookup.Text(t, "id") == AdminFactory.Tenant && t["isDefault"]!.GetValue<bool>());

        var user = await backend.AddUserAsync(
            new JsonObject { ["userPrincipalName"] = "zoe@contoso.com", ["passwordProfile"] = new JsonObject { ["password"] = "Zoe-Passw0rd!" } }, default);
        Assert.Equal("zoe@contoso.com", CliLookup.Text(user, "userPrincipalName"));
        var disabled = await backend.UpdateUserAsync("zoe@contoso.com", new JsonObject { ["accountEnabled"] = false }, default);
        Assert.False(disabled["accountEnabled"]!.GetValue<bool>());

        await backend.AddGroupAsync(new JsonObject { ["displayName"] = "Zoe's group" }, default);
        await backend.AddMemberAsync("Zoe's group", "zoe@contoso.com", default);

        var rotated = await backend.RotateKrbtgtAsync(default);
        Assert.True(rotated["kvno"]!.GetValue<uint>() >= 2);
        Assert.Contains("kerberos", await backend.Krb5ConfAsync(default), StringComparison.Ordinal);
        Assert.StartsWith("Windows Registry Editor", await backend.GpoRegAsync(default), StringComparison.Ordinal);
        var keytab = await backend.ExportKeytabAsync("cifs/demoaccount.file.core.windows.net", default);
        Assert.NotEmpty(KerberosCloudKdc.Protocol.Files.KeytabFile.Parse(keytab).Entries);
    }

    [Fact]
    public async Task Tenants_can_be_added_online_and_errors_carry_the_api_message()
    {
        await using var backend = Backend();
        var added = await backend.AddTenantAsync(new JsonObject { ["displayName"] = "Fabrikam", ["verifiedDomains"] = new JsonArray("fabrikam.com") }, default);
        Assert.False(added["isDefault"]!.GetValue<bool>());

        await using var fabrikam = Backend("fabrikam.com");
        Assert.Empty(await fabrikam.ListUsersAsync(default));

        var duplicateDomain = await Assert.ThrowsAsync<CliException>(() =>
            backend.AddTenantAsync(new JsonObject { ["displayName"] = "Again", ["verifiedDomains"] = new JsonArray("fabrikam.com") }, default));
        Assert.Contains("verifiedDomains", duplicateDomain.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 409", duplicateDomain.Message, StringComparison.Ordinal);

        await using var nowhere = Backend("nowhere.example");
        var unknown = await Assert.ThrowsAsync<CliException>(() => nowhere.ListUsersAsync(default));
        Assert.Contains("is not a tenant of this server", unknown.Message, StringComparison.Ordinal);
    }
}
