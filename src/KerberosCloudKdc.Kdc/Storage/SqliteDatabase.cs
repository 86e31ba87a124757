using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// One SQLite file: a small pool of open connections, each set up once (WAL, synchronous, foreign keys,
/// busy timeout), writes serialized in-process (SQLite has one writer anyway), and versioned migrations
/// tracked in <c>PRAGMA user_version</c>.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private const int MaxPooled = 8;

    private readonly string connectionString;
    private readonly string synchronous;
    private readonly int busyTimeoutMilliseconds;
    private readonly Action<SqliteConnection>? configure;
    private readonly ConcurrentQueue<SqliteConnection> idle = new();
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private int idleCount;
    private bool disposed;

    private SqliteDatabase(string path, string synchronous, TimeSpan busyTimeout, Action<SqliteConnection>? configure)
    {
        Path = path;
        this.synchronous = synchronous;
        busyTimeoutMilliseconds = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
        this.configure = configure;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            DefaultTimeout = 30,

            // Our own pool below keeps connections open with their pragmas applied; the driver's pool
            // would re-run setup on every open.
            Pooling = false,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens (creating owner-only if missing) and migrates the file to the newest schema.</summary>
    public static async Task<SqliteDatabase> OpenAsync(
        string path, string synchronous, TimeSpan busyTimeout, IReadOnlyList<string> migrations, Action<SqliteConnection>? configure, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            // SQLite gives the -wal and -shm files the database file's mode, so creating it 0600 covers all three.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                await new FileStream(path, options).DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Created concurrently by another opener.
            }
        }

        var database = new SqliteDatabase(path, synchronous, busyTimeout, configure);
        try
        {
            await database.MigrateAsync(migrations, cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            return new Lease(this, connection);
        }

        return new Lease(this, await OpenConnectionAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A connection inside an IMMEDIATE transaction, with this process's other writers waiting.</summary>
    public ValueTask<TransactionLease> BeginWriteAsync(CancellationToken cancellationToken) => BeginAsync(write: true, cancellationToken);

    /// <summary>A connection inside a DEFERRED transaction: several statements read one snapshot.</summary>
    public ValueTask<TransactionLease> BeginReadAsync(CancellationToken cancellationToken) => BeginAsync(write: false, cancellationToken);

    private async ValueTask<TransactionLease> BeginAsync(bool write, CancellationToken cancellationToken)
    {
        if (write)
        {
            await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var lease = await RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Plain BEGIN statements rather than SqliteTransaction, so every step stays async.
                await using (var begin = lease.Command(write ? "BEGIN IMMEDIATE;" : "BEGIN DEFERRED;"))
                {
                    await begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return new TransactionLease(this, lease, write);
            }
            catch
            {
                await lease.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            if (write)
            {
                writeGate.Release();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        while (idle.TryDequeue(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        writeGate.Dispose();
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                // journal_mode is persistent in the file; synchronous and busy_timeout are per connection.
                command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={busyTimeoutMilliseconds};";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            configure?.Invoke(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask ReturnAsync(SqliteConnection connection)
    {
        if (!disposed && Interlocked.Increment(ref idleCount) <= MaxPooled)
        {
            idle.Enqueue(connection);
            return;
        }

        Interlocked.Decrement(ref idleCount);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task MigrateAsync(IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(await write.ScalarAsync("PRAGMA user_version;", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (current > migrations.Count)
        {
            throw new StorageException(
                $"{Path} has schema version {current}, but this build knows versions up to {migrations.Count}. It was written by a newer KerberosCloudKdc; run that version, or restore a backup made before the upgrade.");
        }

        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await write.ExecuteAsync(migrations[version - 1], cancellationToken).ConfigureAwait(false);
            await write.ExecuteAsync($"PRAGMA user_version = {version};", cancellationToken).ConfigureAwait(false);
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal readonly struct Lease(SqliteDatabase owner, SqliteConnection connection) : IAsyncDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public SqliteCommand Command(string sql)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        public ValueTask DisposeAsync() => owner.ReturnAsync(Connection);
    }

    internal sealed class TransactionLease(SqliteDatabase owner, Lease lease, bool write) : IAsyncDisposable
    {
        private bool done;

        public SqliteCommand Command(string sql) => lease.Command(sql);

        public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = Command(sql);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = Command(sql);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await ExecuteAsync("COMMIT;", cancellationToken).ConfigureAwait(false);
            done = true;
        }

        public async ValueTask DisposeAsync()
        {
            var reusable = true;
            try
            {
                if (!done)
                {
                    await ExecuteAsync("ROLLBACK;", CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (SqliteException)
            {
                // Either SQLite already rolled back (e.g. after a full disk) or the connection is in a state we
                // cannot see; throwing here would hide the error that brought us here. Closing it instead of
                // pooling it means no later BEGIN can land inside a transaction left open on it.
                reusable = false;
            }
            finally
            {
                if (reusable)
                {
                    await lease.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    await lease.Connection.DisposeAsync().ConfigureAwait(false);
                }

                if (write)
                {
                    owner.writeGate.Release();
                }
            }
        }
    }
}
