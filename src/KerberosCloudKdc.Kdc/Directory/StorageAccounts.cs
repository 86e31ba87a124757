using System.Security.Cryptography;
using System.Text;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// The Azure Files storage-account shortcut shared by the seed loader and the admin API: the account's
/// name rules, its six SPNs (facts §5.2), its display name, stable object id and default password lifetime.
/// </summary>
public static class StorageAccounts
{
    /// <summary>The storage account SPN suffix (facts §5.2).</summary>
    public const string FileEndpointSuffix = ".file.core.windows.net";

    /// <summary>The private-link form of <see cref="FileEndpointSuffix"/>.</summary>
    public const string PrivateLinkFileEndpointSuffix = ".privatelink.file.core.windows.net";

    private static readonly string[] SpnServiceClasses = ["HOST", "CIFS", "HTTP"];

    /// <summary>How long a storage account's Kerberos password lives when nobody says (Entra: six months).</summary>
    public static DateTimeOffset DefaultExpiry(DateTimeOffset now) => now.AddMonths(6);

    /// <summary>3-24 lowercase letters and digits, as Azure names storage accounts.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: >= 3 and <= 24 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));

    public const string NameRule = "not a storage account name (3-24 lowercase letters and digits)";

    public static string DisplayName(string accountName) => $"[Storage Account] {accountName}{FileEndpointSuffix}";

    /// <summary>The six SPNs Entra registers for an Azure Files account (twelve with private link), upper-case service classes as the docs show.</summary>
    public static IReadOnlyList<string> Spns(Guid tenantId, string accountName, bool privateLink = false)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        var hosts = privateLink
            ? new[] { accountName + FileEndpointSuffix, accountName + PrivateLinkFileEndpointSuffix }
            : [accountName + FileEndpointSuffix];
        var tenant = tenantId.ToString("D");
        var spns = new List<string>();
        foreach (var host in hosts)
        {
            spns.AddRange(SpnServiceClasses.Select(c => $"{c}/{host}"));
            spns.AddRange(SpnServiceClasses.Select(c => $"api://{tenant}/{c}/{host}"));
        }

        return spns;
    }

    public static Guid ObjectId(Guid tenantId, string accountName) => StableObjectId(tenantId, "storageAccount", accountName);

    /// <summary>A GUID that depends only on its inputs, so object ids (and the S-1-12-1 SIDs made from them) survive restarts.</summary>
    public static Guid StableObjectId(Guid tenantId, string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(name);
        var input = Encoding.UTF8.GetBytes($"{tenantId:D}/{kind}/{name.ToUpperInvariant()}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5 style (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>The storage account's service principal with keys for every SPN from <paramref name="secret"/> (password or kk: key).</summary>
    public static ServicePrincipal Create(
        Tenant tenant, Guid objectId, string accountName, IReadOnlyList<string> spns, string secret, uint kvno, DateTimeOffset expiresOn,
        IReadOnlySet<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new ServicePrincipal
        {
            ObjectId = objectId,
            DisplayName = DisplayName(accountName),
            ServicePrincipalNames = spns,
            KeysBySpn = KeyFactory.ForServicePrincipal(secret, spns, tenant.Policy.EncryptionTypes, kvno, expiresOn),
            Tags = tags,
            AccountEnabled = true,
        };
    }
}
