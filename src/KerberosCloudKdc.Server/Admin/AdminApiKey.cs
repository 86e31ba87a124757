using System.Security.Cryptography;
using System.Text;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// The admin API's bearer key: CloudKdc:AdminApiKey when set, otherwise DataDirectory/admin-api-key
/// (owner-only), generated on first start. A generated key is shown once, by the start-up banner.
/// </summary>
public sealed class AdminApiKey(IOptions<CloudKdcOptions> options, DataDirectory dataDirectory)
{
    public const string FileName = "admin-api-key";

    private readonly Lock gate = new();
    private Loaded? loaded;

    /// <summary>The key in effect.</summary>
    public string Value => Load().Key;

    /// <summary>Where the key came from, for the banner (never the key itself unless it was generated just now).</summary>
    public string Source => Load().Source;

    /// <summary>True when this start generated the key: the banner prints it this once.</summary>
    public bool GeneratedNow => Load().GeneratedNow;

    public string FilePath => Path.Combine(dataDirectory.Root, FileName);

    /// <summary>Constant-time check of a presented key (hashing first so lengths leak nothing either).</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Value), expected);
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        var written = Encoding.UTF8.GetBytes(presented, bytes);
        SHA256.HashData(bytes.AsSpan(0, written), actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private Loaded Load()
    {
        lock (gate)
        {
            return loaded ??= Read();
        }
    }

    private Loaded Read()
    {
        if (options.Value.AdminApiKey is { Length: > 0 } configured)
        {
            return new Loaded(configured, "CloudKdc:AdminApiKey", false);
        }

        dataDirectory.EnsureRoot();
        var path = FilePath;
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path, Encoding.UTF8).Trim();
            if (existing.Length >= 16)
            {
                return new Loaded(existing, path, false);
            }
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        DataDirectory.WriteFile(path, key + "\n", secret: true);
        return new Loaded(key, path, true);
    }

    private sealed record Loaded(string Key, string Source, bool GeneratedNow);
}
