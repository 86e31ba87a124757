using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Kdc.Tests.Support;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Tests.Storage;

/// <summary>The sign-in log contract, run against every <see cref="ISignInLog"/>; the clock is fixed.</summary>
public abstract class SignInLogContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly Guid TenantA = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    protected static readonly Guid TenantB = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");

    private ISignInLog? log;

    private protected FixedClock Clock { get; } = new(Start);

    protected abstract Task<ISignInLog> CreateLogAsync(SignInRetention retention);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (log is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private async Task<ISignInLog> OpenAsync(SignInRetention? retention = null) => log = await CreateLogAsync(retention ?? new SignInRetention());

    private static SignInEvent Event(int i, Guid tenant, DateTimeOffset time, string? client = null, string? service = null, bool succeeded = true) => new()
    {
        Id = new Guid(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]),
        Time = time,
        TenantId = tenant,
        Kind = i % 2 == 0 ? SignInKind.As : SignInKind.Tgs,
        Client = client,
        Service = service,
        Succeeded = succeeded,
        ErrorCode = succeeded ? null : KerberosErrorCode.KDC_ERR_PREAUTH_FAILED,
        Reason = succeeded ? null : "bad password",
        ClientAddress = "192.0.2.7",
        RequestId = $"req-{i}",
    };

    [Fact]
    public async Task Events_round_trip_newest_first_per_tenant()
    {
        var signIns = await OpenAsync();
        var first = Event(1, TenantA, Start.AddMinutes(-2), "alice@contoso.com", "krbtgt/KERBEROS.MICROSOFTONLINE.COM", succeeded: false);
        var second = Event(2, TenantA, Start.AddMinutes(-1), "bob@contoso.com", "cifs/acct");
        await signIns.AppendAsync(first);
        await signIns.AppendAsync(Event(3, TenantB, Start, "eve@fabrikam.com"));
        await signIns.AppendAsync(second);

        var page = await signIns.QueryAsync(new SignInQuery { TenantId = TenantA });
        Assert.Null(page.NextPageToken);
        Assert.Equal([second, first], page.Items);
        Assert.Single((await signIns.QueryAsync(new SignInQuery { TenantId = TenantB })).Items);
    }

    [Fact]
    public async Task A_page_token_the_log_did_not_issue_is_refused()
    {
        var signIns = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(async () => await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, PageToken = "not-a-token" }));
    }

    [Fact]
    public async Task Filters_are_anded_and_text_matches_case_insensitive_substrings()
    {
        var signIns = await OpenAsync();
        for (var i = 0; i < 12; i++)
        {
            await signIns.AppendAsync(Event(i, TenantA, Start.AddMinutes(i - 20), i % 3 == 0 ? "Alice@Contoso.com" : "bob@contoso.com", i % 2 == 0 ? "CIFS/files" : "http/web", succeeded: i % 4 != 1));
        }

        async Task<int[]> Ids(SignInQuery q) => (await signIns.QueryAsync(q)).Items.Select(e => e.Id.ToByteArray()[0] | (e.Id.ToByteArray()[1] << 8)).ToArray();
        Assert.Equal(new[] { 9, 6, 3, 0 }, await Ids(new SignInQuery { TenantId = TenantA, Client = "ALICE" }));
        Assert.Equal(new[] { 10, 8, 6, 4, 2, 0 }, await Ids(new SignInQuery { TenantId = TenantA, Service = "cifs/" }));
        Assert.Equal(new[] { 9, 5, 1 }, await Ids(new SignInQuery { TenantId = TenantA, Succeeded = false }));
        Assert.Equal(new[] { 6, 0 }, await Ids(new SignInQuery { TenantId = TenantA, Client = "alice", Service = "files", Succeeded = true }));
        Assert.Equal(new[] { 5, 4, 3 }, await Ids(new SignInQuery { TenantId = TenantA, From = Start.AddMinutes(-17), To = Start.AddMinutes(-15) }));
        Assert.Empty(await Ids(new SignInQuery { TenantId = TenantA, Client = "carol" }));
        Assert.Empty(await Ids(new SignInQuery { TenantId = TenantB }));
    }

    [Fact]
    public async Task Paging_visits_every_match_once_in_order()
    {
        var signIns = await OpenAsync();
        var expected = new List<SignInEvent>();
        for (var i = 0; i < 23; i++)
        {
            // Pairs share a timestamp, so paging must break ties consistently.
            var e = Event(i, TenantA, Start.AddSeconds(i / 2), "alice", succeeded: i % 5 != 0);
            await signIns.AppendAsync(e);
            await signIns.AppendAsync(Event(100 + i, TenantB, Start.AddSeconds(i / 2), "alice"));
            expected.Insert(0, e);
        }

        var seen = new List<SignInEvent>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, Top = 5, PageToken = token });
            Assert.InRange(page.Items.Count, 1, 5);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(5, pages);
        Assert.Equal(expected, seen);

        var failures = new List<SignInEvent>();
        token = null;
        do
        {
            var page = await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, Succeeded = false, Top = 2, PageToken = token });
            failures.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(expected.Where(e => !e.Succeeded), failures);
    }

    [Fact]
    public async Task Top_is_clamped_to_1_through_1000()
    {
        var signIns = await OpenAsync();
        for (var i = 0; i < 1002; i++)
        {
            await signIns.AppendAsync(Event(i, TenantA, Start.AddMilliseconds(i)));
        }

        Assert.Single((await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, Top = 0 })).Items);
        Assert.Single((await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, Top = -5 })).Items);
        var big = await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, Top = 5000 });
        Assert.Equal(1000, big.Items.Count);
        Assert.NotNull(big.NextPageToken);
        Assert.Equal(2, (await signIns.QueryAsync(new SignInQuery { TenantId = TenantA, Top = 5000, PageToken = big.NextPageToken })).Items.Count);
    }

    [Fact]
    public async Task Retention_keeps_the_newest_max_events()
    {
        var signIns = await OpenAsync(new SignInRetention { MaxEvents = 5 });
        for (var i = 0; i < 12; i++)
        {
            await signIns.AppendAsync(Event(i, i % 2 == 0 ? TenantA : TenantB, Start.AddSeconds(i)));
        }

        var a = (await signIns.QueryAsync(new SignInQuery { TenantId = TenantA })).Items;
        var b = (await signIns.QueryAsync(new SignInQuery { TenantId = TenantB })).Items;
        Assert.Equal(["req-10", "req-8"], a.Select(e => e.RequestId));
        Assert.Equal(["req-11", "req-9", "req-7"], b.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Retention_drops_events_older_than_max_age()
    {
        var signIns = await OpenAsync(new SignInRetention { MaxAge = TimeSpan.FromDays(1) });
        await signIns.AppendAsync(Event(1, TenantA, Start.AddDays(-3)));
        await signIns.AppendAsync(Event(2, TenantA, Start.AddHours(-2)));
        Clock.Advance(TimeSpan.FromHours(23));
        await signIns.AppendAsync(Event(3, TenantA, Clock.GetUtcNow()));
        Assert.Equal(["req-3"], (await signIns.QueryAsync(new SignInQuery { TenantId = TenantA })).Items.Select(e => e.RequestId));
    }
}

public sealed class InMemorySignInLogContractTests : SignInLogContractTests
{
    protected override Task<ISignInLog> CreateLogAsync(SignInRetention retention) => Task.FromResult<ISignInLog>(new InMemorySignInLog(retention));
}

public sealed class SqliteSignInLogContractTests : SignInLogContractTests
{
    private readonly TempDirectory directory = new();

    // Pruning on every append makes retention exact, as the in-memory log's is; production prunes every 64.
    protected override async Task<ISignInLog> CreateLogAsync(SignInRetention retention) =>
        await SqliteSignInLog.OpenAsync(directory.Path, retention, pruneEvery: 1);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        directory.Delete();
    }
}
