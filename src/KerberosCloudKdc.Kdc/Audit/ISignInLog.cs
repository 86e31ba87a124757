namespace KerberosCloudKdc.Kdc.Audit;

/// <summary>The sign-in log: appended on every outcome, queried by the admin API; retention is bounded by the implementation's options.</summary>
public interface ISignInLog
{
    ValueTask AppendAsync(SignInEvent signIn, CancellationToken cancellationToken = default);

    ValueTask<SignInPage> QueryAsync(SignInQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Filters are ANDed; text filters match case-insensitively as substrings. Newest first.</summary>
public sealed record SignInQuery
{
    public required Guid TenantId { get; init; }

    public string? Client { get; init; }

    public string? Service { get; init; }

    public bool? Succeeded { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Page size, 1..1000.</summary>
    public int Top { get; init; } = 100;

    /// <summary>Opaque token from the previous page's <see cref="SignInPage.NextPageToken"/>.</summary>
    public string? PageToken { get; init; }
}

public sealed record SignInPage(IReadOnlyList<SignInEvent> Items, string? NextPageToken);

/// <summary>How much of the log to keep: whichever bound is hit first.</summary>
public sealed record SignInRetention
{
    public int MaxEvents { get; init; } = 100_000;

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);
}
