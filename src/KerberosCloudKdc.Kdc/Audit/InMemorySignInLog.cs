using System.Globalization;

namespace KerberosCloudKdc.Kdc.Audit;

/// <summary>The sign-in log in memory, bounded by <see cref="SignInRetention"/>; oldest events go first.</summary>
public sealed class InMemorySignInLog(SignInRetention retention, TimeProvider clock) : ISignInLog
{
    private readonly LinkedList<SignInEvent> events = new();
    private readonly Lock gate = new();

    public ValueTask AppendAsync(SignInEvent signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var oldest = clock.GetUtcNow() - retention.MaxAge;
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
        var skip = query.PageToken is { } token && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
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
