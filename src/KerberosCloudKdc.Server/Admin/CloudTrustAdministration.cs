using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// Cloud Kerberos trust administration (facts §4.1, §4.6; docs/token-path.md §3), shared by the admin API
/// (/{tenant}/v1.0/kerberosServers) and the offline CLI so the rules are written once. Objects are shown in the
/// shape of Get-AzureADKerberosServer and never include key bytes; only the keytab export carries keys.
/// </summary>
internal static class CloudTrustAdministration
{
    public static readonly string[] Fields = ["rodcNumber", "password", "key", "keyVersion", "allowedGroups", "deniedGroups"];

    /// <summary>KeyUpdatedFrom: Entra reports the DC that wrote the key; here it is always this emulator.</summary>
    public const string KeyUpdatedFrom = "cloudkdc";

    /// <summary>Set-AzureADKerberosServer -RotateServerKey refuses a second rotation within this span unless forced (facts §4.6).</summary>
    public static readonly TimeSpan MinimumRotationInterval = TimeSpan.FromHours(24);

    private const int MaxGroups = 256;

    /// <summary>The Get-AzureADKerberosServer view of a trust; Cloud* mirror the on-premises values, as they must once in sync.</summary>
    public static JsonObject Json(CloudTrustDomain trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var keyVersion = trust.Keys.Count > 0 ? trust.Keys[0].Kvno : 0;
        var dn = DistinguishedName(trust.DnsName);
        return new JsonObject
        {
            ["Id"] = trust.RodcNumber,
            ["DomainDnsName"] = trust.DnsName,
            ["ComputerAccount"] = "CN=AzureADKerberos,OU=Domain Controllers," + dn,
            ["UserAccount"] = "CN=krbtgt_AzureAD,CN=Users," + dn,
            ["KrbtgtAccountName"] = trust.KrbtgtAccountName,
            ["KeyVersion"] = keyVersion,
            ["KeyUpdatedOn"] = GraphJson.Time(trust.KeyUpdatedOn),
            ["KeyUpdatedFrom"] = KeyUpdatedFrom,
            ["CloudDomainDnsName"] = trust.DnsName,
            ["CloudKeyVersion"] = keyVersion,
            ["CloudKeyUpdatedOn"] = GraphJson.Time(trust.KeyUpdatedOn),
            ["TicketKvno"] = trust.TicketKvno(keyVersion),
            ["KeyVersions"] = new JsonArray([.. trust.Keys.Select(k => k.Kvno).Distinct().Select(v => (JsonNode)v)]),
            ["AllowedGroups"] = new JsonArray([.. trust.AllowedGroupSids.Select(s => (JsonNode)s.ToString())]),
            ["DeniedGroups"] = new JsonArray([.. trust.DeniedGroupSids.Select(s => (JsonNode)s.ToString())]),
        };
    }

    /// <summary>DC=contoso,DC=com for contoso.com.</summary>
    public static string DistinguishedName(string dnsName) =>
        string.Join(',', dnsName.Split('.').Select(label => "DC=" + label));

    /// <summary>Checks a DNS domain name from a URL or command line; the message names the field.</summary>
    public static string ValidDomain(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253 || !domain.Contains('.', StringComparison.Ordinal)
            || domain.Split('.').Any(label => label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            throw new AdminException(400, $"domain: '{DirectoryAdministration.Truncate(domain ?? string.Empty)}' is not a DNS domain name");
        }

        return domain;
    }

    /// <summary>
    /// Creates or replaces the trust for <paramref name="domain"/> from a PUT body. PUT replaces the whole record:
    /// one key (KeyVersion = keyVersion, or the old version + 1, or 1) and the given lists, else the defaults.
    /// Returns the JSON and whether the trust is new, or the validation message.
    /// </summary>
    public static async Task<(JsonObject? Json, bool Created, string? Invalid)> SetAsync(
        IDirectoryAdminStore store, Tenant tenant, string domain, JsonElement body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        ValidDomain(domain);
        if (tenant.OnPremisesDomain is not { } onPremises)
        {
            // The default allowed/denied lists and the PAC need the AD domain SID, which only a hybrid tenant has.
            throw new AdminException(400, "onPremisesDomain: the tenant has no on-premises domain; a cloud trust needs a hybrid tenant");
        }

        var reader = new BodyReader(body, Fields);
        var rodc = Number(body, reader, "rodcNumber", 1, ushort.MaxValue, required: true);
        // Capped at int.MaxValue so "previous + 1" on rotation can never wrap to a version already in use.
        var keyVersion = Number(body, reader, "keyVersion", 1, int.MaxValue, required: false);
        var password = reader.String("password", 256);
        var rawKey = reader.String("key", 128);
        if ((password is null) == (rawKey is null) && !reader.Errors.Any(e => e.StartsWith("password", StringComparison.Ordinal) || e.StartsWith("key:", StringComparison.Ordinal)))
        {
            reader.Error("password", "give exactly one of password or key");
        }

        var allowed = Sids(reader, "allowedGroups");
        var denied = Sids(reader, "deniedGroups");
        if (reader.Message() is { } invalid)
        {
            return (null, false, invalid);
        }

        var existing = await store.GetCloudTrustAsync(tenant.Id, domain, cancellationToken).ConfigureAwait(false);
        var version = (uint?)keyVersion ?? NextKeyVersion(existing?.Keys ?? []);
        var rodcNumber = (ushort)rodc!.Value;
        StoredKey key;
        try
        {
            key = password is not null ? PasswordKey(password, domain, rodcNumber, version) : RawKey(rawKey!, version);
        }
        catch (ArgumentException e)
        {
            return (null, false, "key: " + e.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
        }

        var trust = new CloudTrustDomain
        {
            DnsName = existing?.DnsName ?? domain.ToLowerInvariant(),
            RodcNumber = rodcNumber,
            Keys = [key],
            KeyUpdatedOn = now,
            AllowedGroupSids = allowed ?? CloudTrustDomain.DefaultAllowed(onPremises.DomainSid),
            DeniedGroupSids = denied ?? CloudTrustDomain.DefaultDenied(onPremises.DomainSid),
        };
        await store.SetCloudTrustAsync(tenant.Id, trust, cancellationToken).ConfigureAwait(false);
        return (Json(trust), existing is null, null);
    }

    /// <summary>The krbtgt_N key derived from a password, salted as AD salts that account (see <see cref="CloudTrustKeys.Salt"/>).</summary>
    public static StoredKey PasswordKey(string password, string domain, ushort rodcNumber, uint keyVersion) =>
        CloudTrustKeys.FromPassword(password, domain, rodcNumber, keyVersion);

    /// <summary>A raw kk: key: 32 bytes (AES256 only, like Entra's), no salt.</summary>
    public static StoredKey RawKey(string text, uint keyVersion) => CloudTrustKeys.FromRawKey(text, keyVersion);

    /// <summary>
    /// A new random AES256 key at KeyVersion + 1 in front of the current one (kept so tickets issued just before
    /// still open). A second rotation within 24 hours needs <paramref name="force"/>, as with the cmdlet.
    /// </summary>
    public static async Task<JsonObject> RotateAsync(
        IDirectoryAdminStore store, Tenant tenant, string domain, IKerberosRandom random, DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        var trust = await GetAsync(store, tenant, domain, cancellationToken).ConfigureAwait(false);
        if (!force && now - trust.KeyUpdatedOn < MinimumRotationInterval)
        {
            throw new AdminException(400,
                $"force: the key was last updated at {GraphJson.Time(trust.KeyUpdatedOn)}, less than 24 hours ago; rotate again with force to retire it now");
        }

        var version = NextKeyVersion(trust.Keys);
        var fresh = new StoredKey { Key = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random), Kvno = version };
        var rotated = trust with { Keys = KeyFactory.CurrentAndPrevious([fresh, .. trust.Keys]), KeyUpdatedOn = now };
        await store.SetCloudTrustAsync(tenant.Id, rotated, cancellationToken).ConfigureAwait(false);
        return Json(rotated);
    }

    /// <summary>The trust, or 404.</summary>
    public static async Task<CloudTrustDomain> GetAsync(IDirectoryAdminStore store, Tenant tenant, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        ValidDomain(domain);
        return await store.GetCloudTrustAsync(tenant.Id, domain, cancellationToken).ConfigureAwait(false)
            ?? throw new AdminException(404, $"domain: no cloud trust for '{DirectoryAdministration.Truncate(domain)}'");
    }

    public static async Task<List<JsonObject>> ListAsync(IDirectoryAdminStore store, Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        var trusts = await store.ListCloudTrustsAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
        return [.. trusts.Select(Json)];
    }

    public static async Task DeleteAsync(IDirectoryAdminStore store, Tenant tenant, string domain, CancellationToken cancellationToken)
    {
        var trust = await GetAsync(store, tenant, domain, cancellationToken).ConfigureAwait(false);
        await store.DeleteCloudTrustAsync(tenant.Id, trust.DnsName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The key material a lab DC needs: every kept key as krbtgt/REALM@REALM and krbtgt_N@REALM, under the kvno
    /// tickets carry (RODC number in the high 16 bits). MIT keytabs hold the full 32-bit kvno.
    /// </summary>
    public static byte[] BuildKeytab(CloudTrustDomain trust, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var realm = trust.Realm;
        PrincipalName[] principals = [PrincipalName.Krbtgt(realm), new PrincipalName(PrincipalNameType.Principal, trust.KrbtgtAccountName)];
        var entries = trust.Keys.SelectMany(key => principals.Select(p => new KeytabEntry(realm, p, trust.TicketKvno(key.Kvno), key.Key, timestamp)));
        return new KeytabFile(entries).ToArray();
    }

    public static string KeytabFileName(CloudTrustDomain trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        return $"{trust.KrbtgtAccountName}.{trust.DnsName}.keytab";
    }

    private static long? Number(JsonElement body, BodyReader reader, string name, long min, long max, bool required)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                reader.Error(name, "required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            reader.Error(name, $"must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return number;
    }

    private static List<SecurityIdentifier>? Sids(BodyReader reader, string name)
    {
        var texts = reader.Strings(name, MaxGroups, 184);
        if (texts is null)
        {
            return null;
        }

        var sids = new List<SecurityIdentifier>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (SecurityIdentifier.TryParse(texts[i], out var sid))
            {
                sids.Add(sid);
            }
            else
            {
                reader.Error($"{name}[{i}]", "not a SID (S-1-5-21-…)");
            }
        }

        return sids;
    }

    private static uint NextKeyVersion(IReadOnlyList<StoredKey> keys)
    {
        var newest = keys.Select(k => k.Kvno).DefaultIfEmpty(0u).Max();
        return newest < int.MaxValue
            ? newest + 1
            : throw new AdminException(400, "keyVersion: the key version is exhausted; set the trust again with a lower keyVersion");
    }
}
