using KerberosCloudKdc.Kdc.Audit;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// The persistent stores of one data directory: <c>directory.db</c> (+ <c>store.key</c>) and <c>signins.db</c>.
/// Dispose it at shutdown; each store is safe for concurrent use until then.
/// </summary>
public sealed class SqliteStorage : IAsyncDisposable
{
    private SqliteStorage(SqliteDirectoryStore directory, SqliteSignInLog signInLog)
    {
        Directory = directory;
        SignInLog = signInLog;
    }

    public SqliteDirectoryStore Directory { get; }

    public SqliteSignInLog SignInLog { get; }

    /// <summary>Opens (creating when missing) both stores; throws <see cref="StorageException"/> when they cannot be used.</summary>
    public static async Task<SqliteStorage> OpenAsync(string dataDirectory, SignInRetention retention, CancellationToken cancellationToken = default)
    {
        var directory = await SqliteDirectoryStore.OpenAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        try
        {
            var signInLog = await SqliteSignInLog.OpenAsync(dataDirectory, retention, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SqliteStorage(directory, signInLog);
        }
        catch
        {
            await directory.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SignInLog.DisposeAsync().ConfigureAwait(false);
        await Directory.DisposeAsync().ConfigureAwait(false);
    }
}
