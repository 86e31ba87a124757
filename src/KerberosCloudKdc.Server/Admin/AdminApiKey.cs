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

    /// <summary>Constant-time check of a presented key against the all-tenants key.</summary>
    public bool Matches(ReadOnlySpan<char> presented) => Authenticate(presented) is { AllTenants: true };

    /// <summary>
    /// Which tenants a presented key administers: all (the admin key), one (a CloudKdc:TenantAdminApiKeys
    /// entry), or none (null). Every configured key is compared, in constant time over SHA-256 digests, so
    /// neither the match nor the lengths show in the timing.
    /// </summary>
    public AdminScope? Authenticate(ReadOnlySpan<char> presented)
    {
        Span<byte> actual = stackalloc byte[32];
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        SHA256.HashData(bytes.AsSpan(0, Encoding.UTF8.GetBytes(presented, bytes)), actual);

        AdminScope? scope = null;
        if (Equal(Value, actual))
        {
            scope = AdminScope.Everything;
        }

        foreach (var (tenant, key) in options.Value.TenantAdminApiKeys)
        {
            if (Equal(key, actual) && scope is null && Guid.TryParse(tenant, out var tenantId))
            {
                scope = new AdminScope(false, tenantId);
            }
        }

        return scope;
    }

    private static bool Equal(string key, ReadOnlySpan<byte> presentedDigest)
    {
        Span<byte> expected = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), expected);
        return CryptographicOperations.FixedTimeEquals(expected, presentedDigest);
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
            // Refuse rather than repair: silently replacing the key would lock out every script holding it,
            // and a key others can read is not a secret any more.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
            {
                throw new IOException($"{path} can be read or written by others; make it owner-only (chmod 600) or delete it to generate a new key.");
            }

            var existing = File.ReadAllText(path, Encoding.UTF8).Trim();
            return AdminApiKeyRules.IsWellFormed(existing)
                ? new Loaded(existing, path, false)
                : throw new IOException($"{path} does not hold a usable key (16-512 printable characters); delete it to generate a new one.");
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        DataDirectory.WriteFile(path, key + "\n", secret: true);
        return new Loaded(key, path, true);
    }

    private sealed record Loaded(string Key, string Source, bool GeneratedNow);
}

/// <summary>What an authenticated admin key may touch: every tenant, or the one named.</summary>
public sealed record AdminScope(bool AllTenants, Guid TenantId)
{
    public static AdminScope Everything { get; } = new(true, Guid.Empty);

    public bool Allows(Guid tenantId) => AllTenants || TenantId == tenantId;
}
