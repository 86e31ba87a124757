using System.Net;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// The host's settings, section "CloudKdc" (appsettings.json, CloudKdc__X or CLOUDKDC_X environment
/// variables, --CloudKdc:X on the command line). Documented in docs/configuration.md.
/// </summary>
public sealed class CloudKdcOptions
{
    public const string SectionName = "CloudKdc";

    /// <summary>Default listen URL when neither urls, ASPNETCORE_URLS nor Kestrel:Endpoints says otherwise.</summary>
    public const string DefaultUrls = "https://127.0.0.1:8443";

    /// <summary>Where the lab CA, server certificate and token-signing key live. Default: per-user app data, "cloudkdc".</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Origin written into discovery documents and the krb5.conf snippet, e.g. https://login.microsoftonline.com. Default: the server's own https URL.</summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Seed file (JSON); without it the embedded demo tenant is served.</summary>
    public string? SeedFile { get; set; }

    /// <summary>Largest KKDCP request body (and raw TCP/UDP message) accepted.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Raw Kerberos-over-TCP port (RFC 4120 §7.2.2); null = off, 0 = any free port.</summary>
    public int? TcpPort { get; set; }

    /// <summary>Raw Kerberos-over-UDP port; null = off, 0 = any free port.</summary>
    public int? UdpPort { get; set; }

    /// <summary>Address the raw TCP/UDP listeners bind to.</summary>
    public string KdcListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Concurrent raw TCP connections; further ones are closed at once.</summary>
    public int MaxTcpConnections { get; set; } = 256;

    /// <summary>Idle/read timeout of a raw TCP connection.</summary>
    public TimeSpan TcpReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>UDP replies longer than this become KRB_ERR_RESPONSE_TOO_BIG so the client retries over TCP (MIT's kdc_max_dgram_reply_size).</summary>
    public int UdpMaxReplyBytes { get; set; } = 4096;

    /// <summary>Extra DNS names or IP addresses for the generated server certificate (entries may be comma-separated).</summary>
    public IList<string> CertificateNames { get; } = [];

    /// <summary>tenant_region_scope of tenant discovery documents (WW, NA, EU, USG…).</summary>
    public string TenantRegionScope { get; set; } = "WW";

    /// <summary>Print the krb5.conf snippet, CA path and demo credentials to the console once listening.</summary>
    public bool PrintBanner { get; set; } = true;

    /// <summary>Where the directory and sign-in log live: "memory" (lost on exit) or "sqlite" (in the data directory).</summary>
    public string Store { get; set; } = StoreKinds.Sqlite;

    /// <summary>Bearer key for the admin API; when unset one is generated into DataDirectory/admin-api-key on first start.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>
    /// Keys that administer one tenant only (tenant GUID → key, e.g. CloudKdc:TenantAdminApiKeys:&lt;guid&gt;=…):
    /// used on another tenant's URL they get 403, so a CI job for one tenant cannot touch another.
    /// </summary>
    public Dictionary<string, string> TenantAdminApiKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sign-in log retention: whichever bound is reached first.</summary>
    public SignInLogOptions SignInLog { get; set; } = new();

    /// <summary>The data directory actually used.</summary>
    public string ResolvedDataDirectory => DataDirectory is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : DefaultDataDirectory();

    /// <summary>CertificateNames split on commas, trimmed, without empties.</summary>
    public IReadOnlyList<string> ExtraCertificateNames => CertificateNames
        .SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .ToList();

    /// <summary>The configured public origin without a trailing slash, or null.</summary>
    public Uri? PublicOriginUri =>
        PublicOrigin is { Length: > 0 } text && Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) ? uri : null;

    internal static string DefaultDataDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(root) ? Path.GetFullPath(".data") : Path.Combine(root, "cloudkdc");
    }
}

/// <summary>Values of <see cref="CloudKdcOptions.Store"/>.</summary>
public static class StoreKinds
{
    public const string Memory = "memory";
    public const string Sqlite = "sqlite";
}

/// <summary>Section CloudKdc:SignInLog.</summary>
public sealed class SignInLogOptions
{
    public int MaxEvents { get; set; } = 100_000;

    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Start-time checks with messages that say which setting is wrong and why.</summary>
internal sealed class CloudKdcOptionsValidator : IValidateOptions<CloudKdcOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudKdcOptions options)
    {
        var errors = new List<string>();
        const string P = CloudKdcOptions.SectionName + ":";
        if (options.PublicOrigin is { Length: > 0 } origin)
        {
            if (options.PublicOriginUri is not { } uri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                errors.Add($"{P}PublicOrigin '{origin}' must be an absolute http(s) origin without path, e.g. https://login.microsoftonline.com");
            }
        }

        if (options.MaxRequestBytes is < 256 or > 1024 * 1024)
        {
            errors.Add($"{P}MaxRequestBytes must be between 256 and 1048576 (got {options.MaxRequestBytes})");
        }

        if (options.TcpPort is { } tcp && tcp is < 0 or > 65535)
        {
            errors.Add($"{P}TcpPort must be 0-65535 (0 = any free port) or unset (got {tcp})");
        }

        if (options.UdpPort is { } udp && udp is < 0 or > 65535)
        {
            errors.Add($"{P}UdpPort must be 0-65535 (0 = any free port) or unset (got {udp})");
        }

        if ((options.TcpPort is not null || options.UdpPort is not null) && !IPAddress.TryParse(options.KdcListenAddress, out _))
        {
            errors.Add($"{P}KdcListenAddress '{options.KdcListenAddress}' is not an IP address");
        }

        if (options.MaxTcpConnections is < 1 or > 100_000)
        {
            errors.Add($"{P}MaxTcpConnections must be between 1 and 100000");
        }

        if (options.TcpReadTimeout <= TimeSpan.Zero || options.TcpReadTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{P}TcpReadTimeout must be positive and at most 00:10:00");
        }

        if (options.UdpMaxReplyBytes is < 512 or > 65507)
        {
            errors.Add($"{P}UdpMaxReplyBytes must be between 512 and 65507");
        }

        foreach (var certificateName in options.ExtraCertificateNames)
        {
            if (!IPAddress.TryParse(certificateName, out _) && Uri.CheckHostName(certificateName) != UriHostNameType.Dns)
            {
                errors.Add($"{P}CertificateNames entry '{certificateName}' is neither a DNS name nor an IP address");
            }
        }

        if (options.SeedFile is { Length: > 0 } seed && !File.Exists(seed))
        {
            errors.Add($"{P}SeedFile '{seed}' does not exist (full path {Path.GetFullPath(seed)})");
        }

        if (string.IsNullOrWhiteSpace(options.TenantRegionScope) || options.TenantRegionScope.Length > 16)
        {
            errors.Add($"{P}TenantRegionScope must be a short region code such as WW");
        }

        if (!string.Equals(options.Store, StoreKinds.Memory, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Store, StoreKinds.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{P}Store must be '{StoreKinds.Memory}' or '{StoreKinds.Sqlite}' (got '{options.Store}')");
        }

        if (options.AdminApiKey is { } adminKey && !AdminApiKeyRules.IsWellFormed(adminKey))
        {
            errors.Add($"{P}AdminApiKey must be 16-512 printable ASCII characters without spaces");
        }

        foreach (var (tenantId, tenantKey) in options.TenantAdminApiKeys)
        {
            if (!Guid.TryParse(tenantId, out _))
            {
                errors.Add($"{P}TenantAdminApiKeys:{tenantId} must be keyed by a tenant GUID");
            }

            if (!AdminApiKeyRules.IsWellFormed(tenantKey))
            {
                errors.Add($"{P}TenantAdminApiKeys:{tenantId} must be 16-512 printable ASCII characters without spaces");
            }
        }

        if (options.SignInLog.MaxEvents is < 1 or > 10_000_000)
        {
            errors.Add($"{P}SignInLog:MaxEvents must be between 1 and 10000000");
        }

        if (options.SignInLog.MaxAge <= TimeSpan.Zero)
        {
            errors.Add($"{P}SignInLog:MaxAge must be positive, e.g. 30.00:00:00");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>What an admin API key must look like, wherever it is configured.</summary>
internal static class AdminApiKeyRules
{
    public static bool IsWellFormed(string key) => key.Length is >= 16 and <= 512 && key.All(c => c is > ' ' and < (char)127);
}
