using System.Collections.Concurrent;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace KerberosCloudKdc.Server.Tests;

/// <summary>An engine that records what it was given and answers with fixed bytes: these tests check the adapter, not Kerberos.</summary>
internal sealed class FakeEngine : IKdcEngine
{
    /// <summary>Looks like an AS-REP to anyone peeking at the tag: [APPLICATION 11] { INTEGER 5 }.</summary>
    public static readonly byte[] Reply = [0x6B, 0x03, 0x02, 0x01, 0x05];

    public ConcurrentQueue<(byte[] Request, KdcRequestContext Context)> Calls { get; } = new();

    public bool Throw { get; set; }

    public ValueTask<KdcResponse> ProcessAsync(ReadOnlyMemory<byte> request, KdcRequestContext context, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue((request.ToArray(), context));
        if (Throw)
        {
            throw new InvalidOperationException("boom: secret-material-should-not-leak");
        }

        return ValueTask.FromResult(new KdcResponse
        {
            Reply = Reply,
            Outcome = new KdcOutcome { RequestType = MessageType.AsReq, Client = "alice@contoso.com", Service = "krbtgt/KERBEROS.MICROSOFTONLINE.COM" },
        });
    }
}

/// <summary>A fixed clock for seed tests.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Counter-based randomness: deterministic keys.</summary>
internal sealed class CountingRandom : IKerberosRandom
{
    private byte next;

    public void Fill(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = next++;
        }
    }
}

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly byte[] AsReq = [0x6A, 0x03, 0x02, 0x01, 0x05];

    public static async Task<InMemoryDirectoryStore> DemoStoreAsync()
    {
        var store = new InMemoryDirectoryStore();
        await SeedLoader.LoadAsync(DemoSeed.Parse(), store, new CountingRandom(), new FixedClock(Now));
        return store;
    }

    public static byte[] ProxyRequest(byte[] message, KdcProxyFraming framing, string? targetDomain = "KERBEROS.MICROSOFTONLINE.COM") =>
        KdcProxyMessage.Wrap(message, framing, targetDomain).Encode();

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "cloudkdc-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static string RepositoryFile(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KerberosCloudKdc.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }
}

/// <summary>The host on TestServer with a fake engine, the demo directory and a private data directory.</summary>
internal sealed class KdcFactory : WebApplicationFactory<Program>
{
    public KdcFactory(string? dataDirectory = null, string? publicOrigin = null)
    {
        DataDirectory = dataDirectory ?? TestData.TempDirectory();
        PublicOriginSetting = publicOrigin;
    }

    public FakeEngine Engine { get; } = new();

    /// <summary>Empty until the host starts; the host's seeder then fills it with the demo tenant.</summary>
    public InMemoryDirectoryStore Store { get; } = new();

    public string DataDirectory { get; }

    public string? PublicOriginSetting { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CloudKdc:DataDirectory", DataDirectory);
        builder.UseSetting("CloudKdc:PrintBanner", "false");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        if (PublicOriginSetting is not null)
        {
            builder.UseSetting("CloudKdc:PublicOrigin", PublicOriginSetting);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IKdcEngine>(Engine);
            services.AddSingleton<IDirectoryAdminStore>(Store);
        });
    }
}
