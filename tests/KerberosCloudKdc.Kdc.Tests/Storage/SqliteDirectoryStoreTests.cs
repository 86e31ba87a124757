using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Storage;
using Microsoft.Data.Sqlite;
using static KerberosCloudKdc.Kdc.Tests.Storage.StorageTestData;

namespace KerberosCloudKdc.Kdc.Tests.Storage;

/// <summary>What only a persistent store has to get right: durability, keys at rest, migrations.</summary>
public sealed class SqliteDirectoryStoreTests : IAsyncLifetime
{
    private static readonly Guid TenantId = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid Alice = Guid.Parse("11111111-0000-4000-8000-000000000001");
    private static readonly Guid Bob = Guid.Parse("11111111-0000-4000-8000-000000000002");
    private readonly TempDirectory directory = new();

    private string DatabasePath => Path.Combine(directory.Path, SqliteDirectoryStore.FileName);

    private string KeyPath => Path.Combine(directory.Path, KeyProtector.FileName);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        directory.Delete();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Data_survives_close_and_reopen()
    {
        var alice = HybridUser(Alice, "alice@contoso.com", "alice", 1104);
        var files = Service(Guid.NewGuid(), "Files", "cifs/acct.file.core.windows.net");
        await using (var store = await SqliteDirectoryStore.OpenAsync(directory.Path))
        {
            await store.AddTenantAsync(Tenant(TenantId, "Contoso", "contoso.com"), [Key(1, kvno: 2), Key(2)]);
            await store.AddUserAsync(TenantId, alice);
            await store.AddServicePrincipalAsync(TenantId, files);
        }

        await using (var reopened = await SqliteDirectoryStore.OpenAsync(directory.Path))
        {
            AssertTenantEqual(Tenant(TenantId, "Contoso", "contoso.com"), await reopened.GetDefaultTenantAsync());
            AssertKeysEqual([Key(1, kvno: 2), Key(2)], await reopened.GetKrbtgtKeysAsync(TenantId));
            AssertUserEqual(alice, await reopened.FindUserAsync(TenantId, "ALICE"));
            AssertServiceEqual(files, await reopened.FindServicePrincipalAsync(TenantId, "cifs/ACCT.file.core.windows.net"));
        }
    }

    [Fact]
    public async Task Committed_write_is_visible_to_an_independent_connection_while_the_writer_stays_open()
    {
        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        await store.AddTenantAsync(Tenant(TenantId, "Contoso"), [Key(1)]);
        await store.AddUserAsync(TenantId, CloudUser(Alice, "alice@contoso.com"));

        // As if the process had died right after the call returned: nothing closed, nothing checkpointed.
        await using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "SELECT upn FROM users;";
            Assert.Equal("alice@contoso.com", await command.ExecuteScalarAsync());
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", await command.ExecuteScalarAsync());
        }

        await using var second = await SqliteDirectoryStore.OpenAsync(directory.Path);
        Assert.NotNull(await second.FindUserAsync(TenantId, "alice@contoso.com"));
        await second.AddUserAsync(TenantId, CloudUser(Bob, "bob@contoso.com"));
        Assert.NotNull(await store.FindUserAsync(TenantId, "bob@contoso.com"));
    }

    [Fact]
    public async Task Keys_are_not_in_clear_in_the_database_or_its_wal()
    {
        var user = HybridUser(Alice, "alice@contoso.com", "alice", 1104);
        var service = Service(Guid.NewGuid(), "Files", "cifs/acct");
        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        await store.AddTenantAsync(Tenant(TenantId, "Contoso"), [Key(201)]);
        await store.AddUserAsync(TenantId, user);
        await store.AddServicePrincipalAsync(TenantId, service);

        var secrets = new List<byte[]> { KeyBytes(201) };
        secrets.AddRange(user.Keys.Select(k => k.Key.Value.ToArray()));
        secrets.AddRange(service.KeysBySpn.Values.SelectMany(v => v).Select(k => k.Key.Value.ToArray()));
        var files = new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists).Select(ReadShared).ToList();
        Assert.Contains(files, f => f.Length > 0);
        foreach (var secret in secrets)
        {
            foreach (var file in files)
            {
                Assert.Equal(-1, file.AsSpan().IndexOf(secret));
            }
        }

        // Sanity: the scan does find things that are stored in clear.
        Assert.Contains(files, f => f.AsSpan().IndexOf("alice@contoso.com"u8) >= 0);
    }

    [Fact]
    public async Task Master_key_file_is_owner_only()
    {
        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        Assert.Equal(32, new FileInfo(KeyPath).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
        }
    }

    [Fact]
    public async Task Tampered_key_ciphertext_fails_clearly()
    {
        await SeedAsync();
        await using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "SELECT key_blob FROM user_keys WHERE ordinal = 0;";
            var blob = (byte[])(await command.ExecuteScalarAsync())!;
            blob[^1] ^= 0x01;
            command.CommandText = "UPDATE user_keys SET key_blob = $b WHERE ordinal = 0;";
            command.Parameters.AddWithValue("$b", blob);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        var e = await Assert.ThrowsAsync<StorageException>(async () => await store.FindUserAsync(TenantId, "alice"));
        Assert.Contains("failed to authenticate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_moved_to_another_row_fails_clearly()
    {
        await SeedAsync();

        // Give bob alice's key: the ciphertext is valid, but bound to alice's row.
        await ExecuteRawAsync(
            "INSERT INTO user_keys (tenant_id, user_id, ordinal, kvno, etype, salt, expires_on, key_blob) " +
            "SELECT tenant_id, (SELECT id FROM users WHERE upn = 'bob@contoso.com'), 0, kvno, etype, salt, expires_on, key_blob FROM user_keys " +
            "WHERE user_id = (SELECT id FROM users WHERE upn = 'alice@contoso.com') AND ordinal = 0;");
        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        Assert.NotNull(await store.FindUserAsync(TenantId, "alice"));
        await Assert.ThrowsAsync<StorageException>(async () => await store.FindUserAsync(TenantId, "bob@contoso.com"));

        // A user key posing as a krbtgt key fails too.
        await ExecuteRawAsync("UPDATE krbtgt_keys SET key_blob = (SELECT key_blob FROM user_keys WHERE ordinal = 0 LIMIT 1);");
        await Assert.ThrowsAsync<StorageException>(async () => await store.GetKrbtgtKeysAsync(TenantId));
    }

    [Fact]
    public async Task Missing_master_key_is_refused_at_open()
    {
        await SeedAsync();
        File.Delete(KeyPath);
        var e = await Assert.ThrowsAsync<StorageException>(() => SqliteDirectoryStore.OpenAsync(directory.Path));
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyPath));
    }

    [Fact]
    public async Task Wrong_master_key_is_refused_at_open()
    {
        await SeedAsync();
        File.WriteAllBytes(KeyPath, KeyBytes(99));
        var e = await Assert.ThrowsAsync<StorageException>(() => SqliteDirectoryStore.OpenAsync(directory.Path));
        Assert.Contains("not the master key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Master_key_readable_by_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await SeedAsync();
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = await Assert.ThrowsAsync<StorageException>(() => SqliteDirectoryStore.OpenAsync(directory.Path));
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_are_idempotent()
    {
        await SeedAsync();
        for (var i = 0; i < 2; i++)
        {
            await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
            Assert.NotNull(await store.FindUserAsync(TenantId, "alice"));
        }

        Assert.Equal((long)DirectorySchema.Migrations.Count, await ScalarRawAsync("PRAGMA user_version;"));
        Assert.Equal(1L, await ScalarRawAsync("SELECT count(*) FROM store_meta;"));
    }

    [Fact]
    public async Task Database_from_a_newer_version_is_refused()
    {
        await SeedAsync();
        await ExecuteRawAsync("PRAGMA user_version = 42;");
        var e = await Assert.ThrowsAsync<StorageException>(() => SqliteDirectoryStore.OpenAsync(directory.Path));
        Assert.Contains("schema version 42", e.Message, StringComparison.Ordinal);
        Assert.Equal(42L, await ScalarRawAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task Concurrent_readers_and_writers_do_not_fail()
    {
        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        await store.AddTenantAsync(Tenant(TenantId, "Contoso"), [Key(1)]);
        var writers = Enumerable.Range(0, 20).Select(i => store.AddUserAsync(TenantId, CloudUser(Guid.NewGuid(), $"u{i}@contoso.com")).AsTask());
        var readers = Enumerable.Range(0, 20).Select(async i => await store.GetKrbtgtKeysAsync(TenantId));
        await Task.WhenAll([.. writers, .. readers]);
        Assert.Equal(20, (await store.ListUsersAsync(TenantId)).Count);
    }

    private async Task SeedAsync()
    {
        await using var store = await SqliteDirectoryStore.OpenAsync(directory.Path);
        await store.AddTenantAsync(Tenant(TenantId, "Contoso"), [Key(1)]);
        await store.AddUserAsync(TenantId, HybridUser(Alice, "alice@contoso.com", "alice", 1104));
        await store.AddUserAsync(TenantId, CloudUser(Bob, "bob@contoso.com"));
    }

    private async Task ExecuteRawAsync(string sql)
    {
        await using var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await raw.OpenAsync();
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarRawAsync(string sql)
    {
        await using var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await raw.OpenAsync();
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
