using System.Collections;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Server.Admin;
using KerberosCloudKdc.Server.Discovery;
using KerberosCloudKdc.Server.Kkdcp;
using KerberosCloudKdc.Server.Listeners;
using KerberosCloudKdc.Server.Tls;
using KerberosCloudKdc.Server.Token;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>Builds the host: configuration, services, Kestrel/TLS, Serilog and the endpoints.</summary>
public static class CloudKdcApp
{
    public const string EnvironmentPrefix = "CLOUDKDC_";

    private static readonly System.Net.Security.SslApplicationProtocol Http10Alpn = new("http/1.0");

    /// <summary>Builds the application; <paramref name="configure"/> runs last so tests can replace services.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddPrefixedEnvironment(builder.Configuration);
        var configuration = builder.Configuration;
        var services = builder.Services;
        var storage = await DirectoryStorage.OpenAsync(
            configuration.GetSection(CloudKdcOptions.SectionName).Get<CloudKdcOptions>() ?? new CloudKdcOptions()).ConfigureAwait(false);

        services.AddOptions<CloudKdcOptions>().Bind(configuration.GetSection(CloudKdcOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudKdcOptions>, CloudKdcOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IKerberosRandom>(SystemKerberosRandom.Instance);
        services.AddSingleton<DataDirectory>();
        services.AddSingleton<LabTls>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<PublicOrigin>();
        services.AddSingleton<TenantResolver>();
        services.AddSingleton<KdcDispatcher>();
        services.AddSingleton(sp => SeedSourceFor(sp.GetRequiredService<IOptions<CloudKdcOptions>>().Value));
        DirectoryStorage.AddTo(services, storage);
        services.AddSingleton<AdminApiKey>();
        services.AddSingleton<IKdcEngine>(sp => new KdcEngine(
            sp.GetRequiredService<IDirectoryStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IKerberosRandom>()));
        AddTokenServices(services);
        services.AddSingleton<TcpKdcListener>();
        services.AddSingleton<UdpKdcListener>();
        services.AddHostedService(sp => sp.GetRequiredService<TcpKdcListener>());
        services.AddHostedService(sp => sp.GetRequiredService<UdpKdcListener>());
        services.AddHostedService<StartupBanner>();
        services.AddHealthChecks();

        services.AddSerilog((sp, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .Enrich.FromLogContext()
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(sp);
            if (!configuration.GetSection("Serilog:WriteTo").Exists())
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });

        if (configuration["urls"] is null && configuration["http_ports"] is null && configuration["https_ports"] is null
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(CloudKdcOptions.DefaultUrls);
        }

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            var maxBytes = context.Configuration.GetValue<int?>($"{CloudKdcOptions.SectionName}:MaxRequestBytes") ?? new CloudKdcOptions().MaxRequestBytes;
            kestrel.Limits.MaxRequestBodySize = Math.Max(maxBytes, 256);
            var useLabCertificate = !context.Configuration.GetSection("Kestrel:Certificates:Default").Exists();
            kestrel.ConfigureHttpsDefaults(https =>
            {
                if (useLabCertificate)
                {
                    https.ServerCertificate = kestrel.ApplicationServices.GetRequiredService<LabTls>().Ensure().ServerCertificate;
                }

                // Clients that offer only ALPN "http/1.0" (curl --http1.0) would otherwise get a
                // no_application_protocol alert; Kestrel serves them as HTTP/1.x.
                https.OnAuthenticate = static (_, ssl) => ssl.ApplicationProtocols?.Add(Http10Alpn);
            });
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseRequestIds();
        KdcProxyEndpoint.Map(app);
        DiscoveryEndpoints.Map(app);
        TokenEndpoint.Map(app);
        AdminEndpoints.Map(app);
        app.MapHealthChecks("/healthz");
        return app;
    }

    /// <summary>The token endpoint (docs/token-path.md §1): its own TicketIssuer, so it mints real TGTs even where tests fake the KDC engine.</summary>
    private static void AddTokenServices(IServiceCollection services)
    {
        services.AddSingleton(sp => new TicketIssuer(
            sp.GetRequiredService<IDirectoryStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IKerberosRandom>()));
        services.AddSingleton(sp => new PartialTgtIssuer(
            sp.GetRequiredService<IDirectoryStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IKerberosRandom>()));
        services.AddSingleton(sp => new NonceService(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IKerberosRandom>()));
        services.AddSingleton<PrimaryRefreshTokenProtector>(sp => new PrimaryRefreshTokenProtector(
            sp.GetRequiredService<DataDirectory>(), sp.GetRequiredService<IKerberosRandom>()));
        services.AddSingleton<IdTokenBuilder>();
        services.AddSingleton<TokenTickets>();
        services.AddSingleton<TokenService>();
    }

    /// <summary>Resolves what start-up needs so bad settings or a bad seed stop the process with a clear message.</summary>
    public static void ValidateAtStart(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<IOptions<CloudKdcOptions>>().Value;
        _ = app.Services.GetRequiredService<IDirectoryStore>();
        _ = app.Services.GetRequiredService<AdminApiKey>().Value;
        var options = app.Services.GetRequiredService<IOptions<CloudKdcOptions>>().Value;
        var seed = options.SeedFile is { Length: > 0 } file ? SeedLoader.ParseFile(file) : DemoSeed.Parse();
        _ = SeedLoader.Build(seed, app.Services.GetRequiredService<TimeProvider>(), app.Services.GetRequiredService<SeedSource>().Description);
    }

    private static SeedSource SeedSourceFor(CloudKdcOptions options) =>
        options.SeedFile is { Length: > 0 } file
            ? new SeedSource(false, Path.GetFullPath(file))
            : new SeedSource(true, "the embedded demo seed");

    /// <summary>CLOUDKDC_X__Y=v becomes CloudKdc:X:Y=v, ranked just below the command line.</summary>
    private static void AddPrefixedEnvironment(ConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)
                && key.Length > EnvironmentPrefix.Length && key[EnvironmentPrefix.Length] != '_')
            {
                values[$"{CloudKdcOptions.SectionName}:{key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)}"] = entry.Value as string;
            }
        }

        if (values.Count == 0)
        {
            return;
        }

        var sources = ((IConfigurationBuilder)configuration).Sources;
        var commandLine = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is CommandLineConfigurationSource);
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values };
        if (commandLine.s is null)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(commandLine.i, source);
        }
    }
}
