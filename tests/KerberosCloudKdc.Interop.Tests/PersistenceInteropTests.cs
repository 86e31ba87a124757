using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// The embedded SQLite store under the real process: what the admin API acknowledged survives kill -9 and a
/// restart, and MIT clients keep working against it (including with a keytab exported after the restart).
/// </summary>
public sealed class PersistenceInteropTests
{
    private const string ErinPassword = "Erin-Persist-Passw0rd!";
    private const string StoragePassword = "Persist-Kerb1-Passw0rd!";
    private const string StorageSpn = "cifs/persisted.file.core.windows.net";

    [Fact]
    public async Task Acknowledged_writes_survive_kill_9_and_mit_clients_still_work()
    {
        var server = await CloudKdcProcess.StartAsync();
        try
        {
            string storageId;
            using (var admin = AdminClient(server))
            {
                using var created = await admin.PostAsJsonAsync("users", new
                {
                    userPrincipalName = "erin@contoso.com",
                    displayName = "Erin",
                    passwordProfile = new { password = ErinPassword },
                    onPremisesSamAccountName = "erin",
                    onPremisesSecurityIdentifier = DemoTenant.DomainSid + "-1200",
                });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                using var storage = await admin.PostAsJsonAsync("emulator/storageAccounts", new { name = "persisted", password = StoragePassword });
                Assert.Equal(HttpStatusCode.Created, storage.StatusCode);
                using var body = JsonDocument.Parse(await storage.Content.ReadAsStringAsync());
                storageId = body.RootElement.GetProperty("id").GetString()!;
            }

            // Nothing graceful: the writes were acknowledged, so they must already be on disk.
            server = await server.KillAndRestartAsync();

            using var client = new MitClient(server);
            var kinit = await client.KinitAsync(ErinPassword, "-E", "erin@contoso.com");
            Assert.True(kinit.ExitCode == 0, kinit.Output + server.Output);

            using (var admin = AdminClient(server))
            {
                var keytab = await admin.GetByteArrayAsync($"emulator/servicePrincipals/{storageId}/keytab?spn={StorageSpn}");
                var keytabPath = Path.Combine(client.Directory, "exported.keytab");
                await File.WriteAllBytesAsync(keytabPath, keytab);

                var kvno = await client.RunAsync("kvno", ["-k", keytabPath, StorageSpn]);
                Assert.True(kvno.ExitCode == 0, kvno.Output + server.Output);
                Assert.Contains("keytab entry valid", kvno.StdOut);

                using var signIns = JsonDocument.Parse(await admin.GetStringAsync("auditLogs/signIns?user=erin&status=success"));
                Assert.Contains(signIns.RootElement.GetProperty("value").EnumerateArray(), e => e.GetProperty("kind").GetString() == "as");
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static HttpClient AdminClient(CloudKdcProcess server)
    {
        var http = server.CreateHttpClient();
        http.BaseAddress = new Uri(server.BaseUri, $"/{CloudKdcProcess.DemoTenantId}/v1.0/");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminApiKey);
        return http;
    }
}
