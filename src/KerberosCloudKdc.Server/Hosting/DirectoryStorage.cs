using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>The directory and the sign-in log, opened together from one backend (CloudKdc:Store).</summary>
public sealed record DirectoryStorage(IDirectoryAdminStore Directory, ISignInLog SignInLog)
{
    /// <summary>Registers the backend chosen by CloudKdc:Store, the store interfaces over it, and the start-up seeding.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton(sp => RetentionFrom(sp.GetRequiredService<IOptions<CloudKdcOptions>>().Value));
        services.AddSingleton(Open);
        services.AddSingleton(sp => sp.GetRequiredService<DirectoryStorage>().Directory);
        services.AddSingleton<IDirectoryStore>(sp => sp.GetRequiredService<IDirectoryAdminStore>());
        services.AddSingleton(sp => sp.GetRequiredService<DirectoryStorage>().SignInLog);
        services.AddHostedService<DirectorySeeder>();
    }

    public static SignInRetention RetentionFrom(CloudKdcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SignInRetention { MaxEvents = options.SignInLog.MaxEvents, MaxAge = options.SignInLog.MaxAge };
    }

    private static DirectoryStorage Open(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<CloudKdcOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        var retention = services.GetRequiredService<SignInRetention>();
        return options.Store.ToLowerInvariant() switch
        {
            StoreKinds.Memory => new DirectoryStorage(new InMemoryDirectoryStore(), new InMemorySignInLog(retention, clock)),
            StoreKinds.Sqlite => throw NotAvailable(), // STORE: sqlite — at merge: SqliteStorage.OpenAsync(dataDirectory, clock, retention, ct) → (directory store, sign-in log)
            _ => throw new OptionsValidationException(CloudKdcOptions.SectionName, typeof(CloudKdcOptions), [$"{CloudKdcOptions.SectionName}:Store '{options.Store}' is unknown"]),
        };
    }

    private static OptionsValidationException NotAvailable() => new(
        CloudKdcOptions.SectionName, typeof(CloudKdcOptions),
        [$"{CloudKdcOptions.SectionName}:Store '{StoreKinds.Sqlite}' is not available yet in this build; use '{StoreKinds.Memory}'"]);
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
