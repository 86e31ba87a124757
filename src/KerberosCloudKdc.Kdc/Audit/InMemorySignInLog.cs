using System.Globalization;

namespace KerberosCloudKdc.Kdc.Audit;

/// <summary>
/// The sign-in log in memory, bounded by <see cref="SignInRetention"/>; oldest events go first. Age counts
/// back from the newest event (the host's own timeline), as in the SQLite log.
/// </summary>
public sealed class InMemorySignInLog(SignInRetention retention) : ISignInLog
{
    private readonly LinkedList<SignInEvent> events = new();
    private readonly Lock gate = new();

    public ValueTask AppendAsync(SignInEvent signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var oldest = retention.MaxAge >= signIn.Time - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : signIn.Time - retention.MaxAge;
        lock (gate)
        {
            events.AddFirst(signIn);
            while (events.Count > retention.MaxEvents || (events.Last is { } last && last.Value.Time < oldest))
            {
                events.RemoveLast();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<SignInPage> QueryAsync(SignInQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var skip = 0;
        if (query.PageToken is { } token && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            // As the SQLite log does: a token we did not issue is the caller's error, not page one.
            throw new ArgumentException("The page token is not one this log issued.", nameof(query));
        }
        var top = Math.Clamp(query.Top, 1, 1000);
        List<SignInEvent> matches;
        lock (gate)
        {
            matches = events.Where(e => Matches(e, query)).Skip(skip).Take(top + 1).ToList();
        }

        var next = matches.Count > top ? (skip + top).ToString(CultureInfo.InvariantCulture) : null;
        return ValueTask.FromResult(new SignInPage(matches.Take(top).ToList(), next));
    }

    private static bool Matches(SignInEvent e, SignInQuery query) =>
        e.TenantId == query.TenantId &&
        (query.Client is null || (e.Client?.Contains(query.Client, StringComparison.OrdinalIgnoreCase) ?? false)) &&
        (query.Service is null || (e.Service?.Contains(query.Service, StringComparison.OrdinalIgnoreCase) ?? false)) &&
        (query.Succeeded is null || e.Succeeded == query.Succeeded) &&
        (query.From is null || e.Time >= query.From) &&
        (query.To is null || e.Time <= query.To);
}
