using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Kdc.Tests.Support;

namespace KerberosCloudKdc.Kdc.Tests.Storage;

public sealed class SqliteStorageTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Opens_both_stores_in_one_directory_and_bounds_the_log_between_prunes()
    {
        var directory = new TempDirectory();
        try
        {
            var tenant = Guid.NewGuid();
            await using (var storage = await SqliteStorage.OpenAsync(directory.Path, new SignInRetention { MaxEvents = 10 }))
            {
                await storage.Directory.AddTenantAsync(StorageTestData.Tenant(tenant, "Contoso"), [StorageTestData.Key(1)]);
                for (var i = 0; i < 100; i++)
                {
                    await storage.SignInLog.AppendAsync(new SignInEvent { Id = Guid.NewGuid(), Time = Start.AddSeconds(i), TenantId = tenant, Kind = SignInKind.As, Succeeded = true });
                }

                // Pruned every 64 appends: at most 10 + 63 remain.
                var page = await storage.SignInLog.QueryAsync(new SignInQuery { TenantId = tenant, Top = 1000 });
                Assert.InRange(page.Items.Count, 10, 73);
                await Assert.ThrowsAsync<ArgumentException>(async () => await storage.SignInLog.QueryAsync(new SignInQuery { TenantId = tenant, PageToken = "not-a-token" }));
            }

            Assert.True(File.Exists(Path.Combine(directory.Path, SqliteDirectoryStore.FileName)));
            Assert.True(File.Exists(Path.Combine(directory.Path, SqliteSignInLog.FileName)));

            // Reopening prunes to the bound straight away.
            await using (var storage = await SqliteStorage.OpenAsync(directory.Path, new SignInRetention { MaxEvents = 10 }))
            {
                Assert.NotNull(await storage.Directory.GetDefaultTenantAsync());
                Assert.Equal(10, (await storage.SignInLog.QueryAsync(new SignInQuery { TenantId = tenant, Top = 1000 })).Items.Count);
            }
        }
        finally
        {
            directory.Delete();
        }
    }
}
