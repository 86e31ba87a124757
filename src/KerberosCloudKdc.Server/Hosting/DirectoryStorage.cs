using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Protocol.Crypto;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>The directory and the sign-in log, opened together from one backend (CloudKdc:Store).</summary>
public sealed record DirectoryStorage(IDirectoryAdminStore Directory, ISignInLog SignInLog) : IAsyncDisposable
{
    /// <summary>
    /// Opens the backend chosen by CloudKdc:Store. SQLite is opened here, before the container exists, because
    /// opening is async (migrations, key check) and a DI factory is not; the container then owns and disposes it.
    /// </summary>
    public static async Task<Func<IServiceProvider, DirectoryStorage>> OpenAsync(CloudKdcOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(options.Store, StoreKinds.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return static sp => new DirectoryStorage(
                new InMemoryDirectoryStore(), new InMemorySignInLog(sp.GetRequiredService<SignInRetention>()));
        }

        var sqlite = await SqliteStorage.OpenAsync(options.ResolvedDataDirectory, RetentionFrom(options), cancellationToken).ConfigureAwait(false);
        return _ => new DirectoryStorage(sqlite.Directory, sqlite.SignInLog) { Owner = sqlite };
    }

    /// <summary>Registers the opened backend, the store interfaces over it, and the start-up seeding.</summary>
    public static void AddTo(IServiceCollection services, Func<IServiceProvider, DirectoryStorage> open)
    {
        services.AddSingleton(sp => RetentionFrom(sp.GetRequiredService<IOptions<CloudKdcOptions>>().Value));
        services.AddSingleton(open);
        services.AddSingleton(sp => sp.GetRequiredService<DirectoryStorage>().Directory);
        services.AddSingleton<IDirectoryStore>(sp => sp.GetRequiredService<IDirectoryAdminStore>());
        services.AddSingleton(sp => sp.GetRequiredService<DirectoryStorage>().SignInLog);
        services.AddHostedService<DirectorySeeder>();
    }

    /// <summary>The SQLite storage behind this one, if any. This record is a factory-made singleton, so the container disposes it and it closes the database.</summary>
    public SqliteStorage? Owner { get; init; }

    public ValueTask DisposeAsync() => Owner?.DisposeAsync() ?? ValueTask.CompletedTask;

    public static SignInRetention RetentionFrom(CloudKdcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SignInRetention { MaxEvents = options.SignInLog.MaxEvents, MaxAge = options.SignInLog.MaxAge };
    }
}

/// <summary>
/// Applies the seed (file or embedded demo) before the server listens. Tenants already in the store are
/// skipped, so a persistent store is seeded on first start only and admin changes survive restarts.
/// </summary>
internal sealed class DirectorySeeder(
    IDirectoryAdminStore store, IOptions<CloudKdcOptions> options, SeedSource seedSource, IKerberosRandom random, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var seed = settings.SeedFile is { Length: > 0 } file ? SeedLoader.ParseFile(file) : DemoSeed.Parse();
        await SeedLoader.LoadAsync(seed, store, random, clock, seedSource.Description, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
