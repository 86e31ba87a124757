using System.Buffers.Binary;
using System.Buffers.Text;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Protocol.Messages;
using Microsoft.Data.Sqlite;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// The sign-in log in its own SQLite file (<c>signins.db</c>): appended on every request, so it is kept
/// apart from the directory (its write volume and retention deletes never hold the directory's writer lock
/// or bloat its WAL, and a directory backup stays small). Newest first by (time, insertion order); pages
/// are keyset-paged with an opaque token; <see cref="SignInRetention"/> is enforced every
/// <c>pruneEvery</c> appends, so the log may briefly hold up to that many extra events.
/// </summary>
public sealed class SqliteSignInLog : ISignInLog, IAsyncDisposable
{
    public const string FileName = "signins.db";

    private const string Columns = "seq, id, time, tenant_id, kind, client, service, succeeded, error_code, reason, client_address, request_id";

    private static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE signins (
            seq            INTEGER PRIMARY KEY,
            id             BLOB NOT NULL,
            time           INTEGER NOT NULL,
            tenant_id      BLOB NOT NULL,
            kind           INTEGER NOT NULL,
            client         TEXT,
            service        TEXT,
            succeeded      INTEGER NOT NULL,
            error_code     INTEGER,
            reason         TEXT,
            client_address TEXT,
            request_id     TEXT NOT NULL
        ) STRICT;
        CREATE INDEX signins_by_tenant_time ON signins (tenant_id, time DESC, seq DESC);
        CREATE INDEX signins_by_time ON signins (time);
        """,
    ];

    private readonly SqliteDatabase database;
    private readonly SignInRetention retention;
    /// <summary>
    /// Appends sit on the KDC's request path: if another process holds the log (a backup, a sqlite3 shell),
    /// give up after a moment and lose the event rather than stall authentication for it.
    /// </summary>
    private static readonly TimeSpan AppendBusyTimeout = TimeSpan.FromSeconds(1);

    private readonly int pruneEvery;
    private int appendsSincePrune;

    private SqliteSignInLog(SqliteDatabase database, SignInRetention retention, int pruneEvery)
    {
        this.database = database;
        this.retention = retention;
        this.pruneEvery = pruneEvery;
    }

    /// <summary>Opens (creating when missing) <c>signins.db</c> in <paramref name="dataDirectory"/> and prunes it once.</summary>
    public static async Task<SqliteSignInLog> OpenAsync(
        string dataDirectory, SignInRetention retention, int pruneEvery = 64, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentOutOfRangeException.ThrowIfLessThan(pruneEvery, 1);
        StorageFiles.EnsureDirectory(dataDirectory);

        // synchronous=NORMAL: in WAL mode a killed process loses nothing; only an OS crash or power cut
        // can drop the last few events, which is an acceptable trade for a log appended on every request.
        var database = await SqliteDatabase.OpenAsync(
            Path.Combine(dataDirectory, FileName), "NORMAL", AppendBusyTimeout, Migrations, RegisterFunctions, cancellationToken).ConfigureAwait(false);
        var log = new SqliteSignInLog(database, retention, pruneEvery);
        try
        {
            await log.PruneAsync(cancellationToken).ConfigureAwait(false);
            return log;
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    public async ValueTask AppendAsync(SignInEvent signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        await using (var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = write.Command(
                "INSERT INTO signins (id, time, tenant_id, kind, client, service, succeeded, error_code, reason, client_address, request_id) " +
                "VALUES ($id, $time, $tenant, $kind, $client, $service, $succeeded, $error, $reason, $address, $request);");
            command.Parameters.Bind("$id", signIn.Id);
            command.Parameters.Bind("$time", signIn.Time.UtcTicks);
            command.Parameters.Bind("$tenant", signIn.TenantId);
            command.Parameters.Bind("$kind", (int)signIn.Kind);
            command.Parameters.Bind("$client", signIn.Client);
            command.Parameters.Bind("$service", signIn.Service);
            command.Parameters.Bind("$succeeded", signIn.Succeeded ? 1 : 0);
            command.Parameters.Bind("$error", signIn.ErrorCode is { } code ? (int)code : null);
            command.Parameters.Bind("$reason", signIn.Reason);
            command.Parameters.Bind("$address", signIn.ClientAddress);
            command.Parameters.Bind("$request", signIn.RequestId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.Increment(ref appendsSincePrune) >= pruneEvery)
        {
            Interlocked.Exchange(ref appendsSincePrune, 0);
            await PruneAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<SignInPage> QueryAsync(SignInQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var top = Math.Clamp(query.Top, 1, 1000);
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM signins WHERE tenant_id = $tenant");
        await using var lease = await database.RentAsync(cancellationToken).ConfigureAwait(false);
        await using var command = lease.Command(string.Empty);
        command.Parameters.Bind("$tenant", query.TenantId);
        if (query.Client is not null)
        {
            sql.Append(" AND contains_ci(client, $client)");
            command.Parameters.Bind("$client", query.Client);
        }

        if (query.Service is not null)
        {
            sql.Append(" AND contains_ci(service, $service)");
            command.Parameters.Bind("$service", query.Service);
        }

        if (query.Succeeded is { } succeeded)
        {
            sql.Append(" AND succeeded = $succeeded");
            command.Parameters.Bind("$succeeded", succeeded ? 1 : 0);
        }

        if (query.From is { } from)
        {
            sql.Append(" AND time >= $from");
            command.Parameters.Bind("$from", from.UtcTicks);
        }

        if (query.To is { } to)
        {
            sql.Append(" AND time <= $to");
            command.Parameters.Bind("$to", to.UtcTicks);
        }

        if (query.PageToken is { } token)
        {
            var (afterTime, afterSeq) = ParseToken(token);
            sql.Append(" AND (time < $afterTime OR (time = $afterTime AND seq < $afterSeq))");
            command.Parameters.Bind("$afterTime", afterTime);
            command.Parameters.Bind("$afterSeq", afterSeq);
        }

        sql.Append(" ORDER BY time DESC, seq DESC LIMIT $limit;");
        command.Parameters.Bind("$limit", top + 1);
        command.CommandText = sql.ToString();

        var items = new List<SignInEvent>(Math.Min(top, 128));
        string? next = null;
        long lastTime = 0, lastSeq = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (items.Count == top)
            {
                next = MakeToken(lastTime, lastSeq);
                break;
            }

            lastSeq = reader.GetInt64(0);
            lastTime = reader.GetInt64(2);
            items.Add(new SignInEvent
            {
                Id = reader.GetGuid(1),
                Time = new DateTimeOffset(lastTime, TimeSpan.Zero),
                TenantId = reader.GetGuid(3),
                Kind = (SignInKind)reader.GetInt32(4),
                Client = reader.IsDBNull(5) ? null : reader.GetString(5),
                Service = reader.IsDBNull(6) ? null : reader.GetString(6),
                Succeeded = reader.GetInt64(7) != 0,
                ErrorCode = reader.IsDBNull(8) ? null : (KerberosErrorCode)reader.GetInt32(8),
                Reason = reader.IsDBNull(9) ? null : reader.GetString(9),
                ClientAddress = reader.IsDBNull(10) ? null : reader.GetString(10),
                RequestId = reader.GetString(11),
            });
        }

        return new SignInPage(items, next);
    }

    /// <summary>
    /// Drops events more than <see cref="SignInRetention.MaxAge"/> older than the newest one, then all but the
    /// newest <see cref="SignInRetention.MaxEvents"/>. Age is measured on the log's own timeline (the times the
    /// host stamped), not a second clock, so an injected or offset clock never empties the log. Only the oldest
    /// rows are ever deleted, so seq is increasing and the count bound is one index probe, not a scan.
    /// </summary>
    internal async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var command = write.Command(
            "DELETE FROM signins WHERE time < (SELECT max(time) FROM signins) - $maxAge; " +
            "DELETE FROM signins WHERE seq <= (SELECT max(seq) FROM signins) - $max;");
        command.Parameters.Bind("$maxAge", Math.Min(retention.MaxAge.Ticks, DateTimeOffset.MaxValue.UtcTicks));
        command.Parameters.Bind("$max", Math.Max(retention.MaxEvents, 0));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Case-insensitive substring match with .NET's ordinal rules (SQLite's LIKE folds ASCII only and treats % and _ as wildcards).</summary>
    private static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction<string?, string, bool>(
            "contains_ci",
            (value, part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase),
            isDeterministic: true);

    private static string MakeToken(long time, long seq)
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], time);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], seq);
        return Base64Url.EncodeToString(bytes);
    }

    private static (long Time, long Seq) ParseToken(string token)
    {
        Span<byte> bytes = stackalloc byte[18];
        // IsValid first: TryDecodeFromChars throws, rather than returning false, on characters outside the alphabet.
        if (token.Length > 24 || !Base64Url.IsValid(token) || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != 17 || bytes[0] != 1)
        {
            throw new ArgumentException("The page token is not one this log issued.", nameof(token));
        }

        return (BinaryPrimitives.ReadInt64BigEndian(bytes[1..]), BinaryPrimitives.ReadInt64BigEndian(bytes[9..]));
    }
}
