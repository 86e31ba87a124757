using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;
using KerberosCloudKdc.Server.Hosting;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// The directory administration shared by the admin API (<see cref="AdminEndpoints"/>) and the offline CLI: validation of
/// Graph-shaped bodies into directory records, secrets and keys, storage accounts, keytabs, krbtgt rotation, tenants,
/// and the Graph JSON shapes of every object. HTTP plumbing (auth, status codes, the write gate) stays in the endpoints.
/// Validation problems come back as "field: problem" text (a 400 on the API); lookups that fail throw <see cref="AdminException"/>.
/// </summary>
internal static class DirectoryAdministration
{
    public static readonly string[] UserFields =
    [
        "userPrincipalName", "displayName", "accountEnabled", "passwordProfile", "onPremisesSyncEnabled",
        "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesDomainName",
    ];

    public static readonly string[] GroupFields = ["displayName", "onPremisesSecurityIdentifier"];
    public static readonly string[] ServicePrincipalFields = ["displayName", "servicePrincipalNames", "tags", "accountEnabled"];
    public static readonly string[] StorageAccountFields = ["name", "password", "privateLink", "endDateTime", "tags"];
    public static readonly string[] ReadOnlyFields = ["id", "securityIdentifier"];

    public static JsonObject UserJson(DirectoryUser user) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = user.ObjectId.ToString("D"),
        ["userPrincipalName"] = user.UserPrincipalName,
        ["displayName"] = user.DisplayName,
        ["accountEnabled"] = user.AccountEnabled,
        ["onPremisesSyncEnabled"] = user.OnPremises is null ? null : true,
        ["onPremisesSamAccountName"] = user.OnPremises?.SamAccountName,
        ["onPremisesSecurityIdentifier"] = user.OnPremises?.SecurityIdentifier.ToString(),
        ["onPremisesDomainName"] = user.OnPremises?.DomainName,
    };

    /// <summary>Builds the new user record from the body (over <paramref name="existing"/> for PATCH); null and a 400 on bad input.</summary>
    public static DirectoryUser? ApplyUser(Tenant tenant, BodyReader reader, DirectoryUser? existing, out string? invalid)
    {
        var upn = reader.String("userPrincipalName", 256, required: existing is null);
        if (upn is not null && (!DirectoryRules.IsUpn(upn, out var domain) || !tenant.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase)))
        {
            reader.Error("userPrincipalName", $"must be user@verified-domain ({string.Join(", ", tenant.VerifiedDomains)})");
        }

        var displayName = reader.String("displayName", 256);
        var enabled = reader.Bool("accountEnabled");
        string? password = null;
        if (reader.Object("passwordProfile", ["password", "forceChangePasswordNextSignIn", "forceChangePasswordNextSignInWithMfa"]) is { } profile)
        {
            password = profile.String("password", 256, required: true);
            _ = profile.Bool("forceChangePasswordNextSignIn");
            _ = profile.Bool("forceChangePasswordNextSignInWithMfa");
        }

        var syncEnabled = reader.Bool("onPremisesSyncEnabled");
        var sam = reader.String("onPremisesSamAccountName", 20);
        if (sam is not null && !DirectoryRules.IsSamAccountName(sam))
        {
            reader.Error("onPremisesSamAccountName", DirectoryRules.SamAccountNameRule);
        }

        var sidText = reader.String("onPremisesSecurityIdentifier", 184);
        SecurityIdentifier? sid = null;
        if (sidText is not null && (!SecurityIdentifier.TryParse(sidText, out sid) || sid.IdentifierAuthority != 5))
        {
            reader.Error("onPremisesSecurityIdentifier", "not an on-premises SID (S-1-5-21-…)");
        }

        var domainName = reader.String("onPremisesDomainName", 253);
        if (domainName is not null && !DirectoryRules.IsDnsName(domainName))
        {
            reader.Error("onPremisesDomainName", "not a DNS name");
        }

        OnPremisesIdentity? onPremises = existing?.OnPremises;
        var wantsSync = syncEnabled ?? (sam is not null || sidText is not null || domainName is not null || onPremises is not null);
        if (!wantsSync)
        {
            onPremises = null;
        }
        else if (reader.Errors.Count == 0)
        {
            var newSam = sam ?? onPremises?.SamAccountName;
            var newSid = sid ?? onPremises?.SecurityIdentifier;
            var newDomain = domainName?.ToLowerInvariant() ?? onPremises?.DomainName ?? tenant.OnPremisesDomain?.DnsName;
            if (newSam is null)
            {
                reader.Error("onPremisesSamAccountName", "required for a synced (hybrid) user");
            }

            if (newSid is null)
            {
                reader.Error("onPremisesSecurityIdentifier", "required for a synced (hybrid) user");
            }

            if (newDomain is null)
            {
                reader.Error("onPremisesDomainName", "required when the tenant has no on-premises domain");
            }

            if (newSam is not null && newSid is not null && newDomain is not null)
            {
                onPremises = new OnPremisesIdentity
                {
                    SamAccountName = newSam,
                    SecurityIdentifier = newSid,
                    DomainName = newDomain,
                    PrimaryGroupRid = onPremises?.PrimaryGroupRid ?? 513,
                };
            }
        }

        invalid = reader.Message();
        if (invalid is not null)
        {
            return null;
        }

        var finalUpn = upn ?? existing!.UserPrincipalName;
        var keys = existing?.Keys ?? [];
        if (password is not null)
        {
            var kvno = keys.Count == 0 ? 1u : keys.Max(k => k.Kvno) + 1;
            keys = KeyFactory.ForUser(password, finalUpn, tenant.Policy.EncryptionTypes, kvno);
        }

        return new DirectoryUser
        {
            ObjectId = existing?.ObjectId ?? Guid.NewGuid(),
            UserPrincipalName = finalUpn,
            DisplayName = displayName ?? existing?.DisplayName ?? finalUpn,
            AccountEnabled = enabled ?? existing?.AccountEnabled ?? true,
            Keys = keys,
            OnPremises = onPremises,
            GroupIds = existing?.GroupIds ?? [],
        };
    }

    public static JsonObject GroupJson(DirectoryGroup group) => new()
    {
        ["@odata.type"] = "#microsoft.graph.group",
        ["id"] = group.ObjectId.ToString("D"),
        ["displayName"] = group.DisplayName,
        ["securityEnabled"] = true,
        ["securityIdentifier"] = PacFactory.CloudSid(group.ObjectId).ToString(),
        ["onPremisesSecurityIdentifier"] = group.OnPremisesSecurityIdentifier?.ToString(),
        ["onPremisesSyncEnabled"] = group.OnPremisesSecurityIdentifier is null ? null : true,
    };

    public static DirectoryGroup? ApplyGroup(BodyReader reader, DirectoryGroup? existing, out string? invalid)
    {
        var displayName = reader.String("displayName", 256, required: existing is null);
        var sidText = reader.String("onPremisesSecurityIdentifier", 184);
        SecurityIdentifier? sid = null;
        if (sidText is not null && !SecurityIdentifier.TryParse(sidText, out sid))
        {
            reader.Error("onPremisesSecurityIdentifier", "not a SID");
        }

        invalid = reader.Message();
        return invalid is not null ? null : new DirectoryGroup
        {
            ObjectId = existing?.ObjectId ?? Guid.NewGuid(),
            DisplayName = displayName ?? existing!.DisplayName,
            OnPremisesSecurityIdentifier = sid ?? existing?.OnPremisesSecurityIdentifier,
        };
    }

    public static JsonObject ServicePrincipalJson(ServicePrincipal sp) => new()
    {
        ["@odata.type"] = "#microsoft.graph.servicePrincipal",
        ["id"] = sp.ObjectId.ToString("D"),
        ["displayName"] = sp.DisplayName,
        ["servicePrincipalNames"] = new JsonArray([.. sp.ServicePrincipalNames.Select(s => (JsonNode)s)]),
        ["tags"] = new JsonArray([.. sp.Tags.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
        ["accountEnabled"] = sp.AccountEnabled,
    };

    public static ServicePrincipal? ApplyServicePrincipal(BodyReader reader, ServicePrincipal? existing, out string? invalid)
    {
        var displayName = reader.String("displayName", 256, required: existing is null);
        var spns = reader.Strings("servicePrincipalNames", 100, 512);
        if (spns is not null)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < spns.Count; i++)
            {
                if (!DirectoryRules.IsSpn(spns[i]))
                {
                    reader.Error($"servicePrincipalNames[{i}]", "not an SPN (service/host[/name] or api://…)");
                }
                else if (!seen.Add(spns[i]))
                {
                    reader.Error($"servicePrincipalNames[{i}]", $"'{spns[i]}' is listed twice");
                }
            }
        }

        var tags = reader.Strings("tags", 100, 256);
        var enabled = reader.Bool("accountEnabled");
        invalid = reader.Message();
        if (invalid is not null)
        {
            return null;
        }

        var names = (IReadOnlyList<string>?)spns ?? existing?.ServicePrincipalNames ?? [];
        var keys = (existing?.KeysBySpn ?? new Dictionary<string, IReadOnlyList<StoredKey>>())
            .Where(k => names.Contains(k.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(k => k.Key, k => k.Value, StringComparer.OrdinalIgnoreCase);
        return new ServicePrincipal
        {
            ObjectId = existing?.ObjectId ?? Guid.NewGuid(),
            DisplayName = displayName ?? existing!.DisplayName,
            ServicePrincipalNames = names,
            KeysBySpn = keys,
            Tags = tags is null ? existing?.Tags ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : new HashSet<string>(tags, StringComparer.OrdinalIgnoreCase),
            AccountEnabled = enabled ?? existing?.AccountEnabled ?? true,
        };
    }

    public static JsonObject SignInJson(SignInEvent e) => new()
    {
        ["id"] = e.Id.ToString("D"),
        ["createdDateTime"] = e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["kind"] = e.Kind.ToString().ToLowerInvariant(),
        ["userPrincipalName"] = e.Client,
        ["servicePrincipalName"] = e.Service,
        ["status"] = new JsonObject
        {
            ["errorCode"] = e.ErrorCode is { } code ? (int)code : 0,
            ["failureReason"] = e.Reason,
            ["additionalDetails"] = e.ErrorCode?.ToString(),
        },
        ["ipAddress"] = e.ClientAddress,
        ["correlationId"] = e.RequestId,
    };

    /// <summary>A server-generated secret: 30 random bytes, URL-safe base64 (40 characters), like Entra's client secrets in length.</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    /// <summary>New keys at kvno = max + 1 for every SPN, placed before the previous version (which keeps opening tickets issued under it; older ones go).</summary>
    public static ServicePrincipal WithNewSecret(ServicePrincipal sp, Tenant tenant, string secret, DateTimeOffset expiresOn)
    {
        var kvno = sp.KeysBySpn.Values.SelectMany(k => k).Select(k => k.Kvno).DefaultIfEmpty(0u).Max() + 1;
        var fresh = KeyFactory.ForServicePrincipal(secret, sp.ServicePrincipalNames, tenant.Policy.EncryptionTypes, kvno, expiresOn);
        var keys = new Dictionary<string, IReadOnlyList<StoredKey>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (spn, newKeys) in fresh)
        {
            keys[spn] = sp.KeysBySpn.TryGetValue(spn, out var old) ? KeyFactory.CurrentAndPrevious([.. newKeys, .. old]) : newKeys;
        }

        return sp with { KeysBySpn = keys };
    }

    /// <summary>The user with <paramref name="group"/> added to its groups; 400 when it is already a member.</summary>
    public static DirectoryUser WithGroup(DirectoryUser user, DirectoryGroup group)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(group);
        if (user.GroupIds.Contains(group.ObjectId))
        {
            throw new AdminException(400, "members: the user is already a member of the group");
        }

        return user with { GroupIds = [.. user.GroupIds, group.ObjectId] };
    }

    /// <summary>Adds a new secret to a service principal (keys at kvno = max + 1) and returns Graph's passwordCredential with the secret, shown once.</summary>
    public static async Task<JsonObject> AddPasswordAsync(
        IDirectoryAdminStore store, Tenant tenant, ServicePrincipal sp, string? displayName, DateTimeOffset expiresOn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        var secret = NewSecret();
        await store.UpdateServicePrincipalAsync(tenant.Id, WithNewSecret(sp, tenant, secret, expiresOn), cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.passwordCredential",
            ["customKeyIdentifier"] = null,
            ["displayName"] = displayName,
            ["endDateTime"] = GraphJson.Time(expiresOn),
            ["hint"] = secret[..3],
            ["keyId"] = Guid.NewGuid().ToString("D"),
            ["secretText"] = secret,
            ["startDateTime"] = GraphJson.Time(now),
        };
    }

    /// <summary>
    /// Validates a storage-account body ({name, password?, privateLink?, endDateTime?, tags?}) and registers the account's
    /// service principal; the JSON carries "password" only when it was generated here (shown once). Null and the
    /// problems when the body is invalid; a <see cref="DirectoryConflictException"/> when the account exists.
    /// </summary>
    public static async Task<(ServicePrincipal? Sp, JsonObject? Json, string? Invalid)> AddStorageAccountAsync(
        IDirectoryAdminStore store, Tenant tenant, BodyReader reader, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(reader);
        var name = reader.String("name", 24, required: true);
        if (name is not null && !StorageAccounts.IsValidName(name))
        {
            reader.Error("name", StorageAccounts.NameRule);
        }

        var password = reader.String("password", 256);
        if (password is { Length: 0 })
        {
            reader.Error("password", "must not be empty");
        }

        var privateLink = reader.Bool("privateLink") ?? false;
        var end = reader.Time("endDateTime");
        var tags = reader.Strings("tags", 100, 256);
        if (reader.Message() is { } invalid)
        {
            return (null, null, invalid);
        }

        var generated = password is null;
        var secret = password ?? NewSecret();
        ServicePrincipal sp;
        try
        {
            sp = StorageAccounts.Create(
                tenant, StorageAccounts.ObjectId(tenant.Id, name!), name!, StorageAccounts.Spns(tenant.Id, name!, privateLink), secret, kvno: 1,
                end ?? StorageAccounts.DefaultExpiry(now), new HashSet<string>(tags ?? [], StringComparer.OrdinalIgnoreCase));
        }
        catch (ArgumentException)
        {
            return (null, null, "password: a kk: key must be base64 of 16 or 32 bytes");
        }

        if (await store.GetServicePrincipalAsync(tenant.Id, sp.ObjectId, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new DirectoryConflictException("name", $"storage account '{name}' is already registered");
        }

        await store.AddServicePrincipalAsync(tenant.Id, sp, cancellationToken).ConfigureAwait(false);
        var json = ServicePrincipalJson(sp);
        if (generated)
        {
            json["password"] = secret;
        }

        return (sp, json, null);
    }

    /// <summary>The keytab of one SPN (or all of the principal's SPNs); 404 when the SPN is not the principal's or there are no keys.</summary>
    public static byte[] BuildKeytab(ServicePrincipal sp, string? spn, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sp);
        if (spn is not null && !sp.ServicePrincipalNames.Contains(spn, StringComparer.OrdinalIgnoreCase))
        {
            throw new AdminException(404, $"spn: '{Truncate(spn)}' is not registered on this service principal");
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var entries = new List<KeytabEntry>();
        foreach (var name in spn is null ? sp.ServicePrincipalNames : [spn])
        {
            var lower = name.ToLowerInvariant();
            if (!sp.KeysBySpn.TryGetValue(lower, out var keys))
            {
                continue;
            }

            var principal = new PrincipalName(PrincipalNameType.ServiceInstance, lower.Split('/'));
            entries.AddRange(keys.Select(k => new KeytabEntry(CloudRealm.Name, principal, k.Kvno, k.Key, timestamp)));
        }

        if (entries.Count == 0)
        {
            throw new AdminException(404, "kerberosKeys: no keys to export (POST …/addPassword first)");
        }

        return new KeytabFile(entries).ToArray();
    }

    /// <summary>The keytab's download name: the SPN or display name, reduced to safe characters.</summary>
    public static string KeytabFileName(ServicePrincipal sp, string? spn)
    {
        ArgumentNullException.ThrowIfNull(sp);
        var fileName = (spn ?? sp.DisplayName).Replace('/', '_').Replace(' ', '_');
        return $"{new string(fileName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-').ToArray())}.keytab";
    }

    /// <summary>Adds a krbtgt key at kvno = max + 1 in front of the old ones (which keep opening the tickets they issued).</summary>
    public static async Task<JsonObject> RotateKrbtgtAsync(IDirectoryAdminStore store, Tenant tenant, IKerberosRandom random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tenant);
        var keys = await store.GetKrbtgtKeysAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
        var kvno = keys.Select(k => k.Kvno).DefaultIfEmpty(0u).Max() + 1;
        var fresh = KeyFactory.RandomKrbtgtKey(random, kvno, tenant.Policy.EncryptionTypes[0]);
        var rotated = KeyFactory.CurrentAndPrevious([fresh, .. keys]);
        await store.SetKrbtgtKeysAsync(tenant.Id, rotated, cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["kvno"] = kvno,
            ["keyVersions"] = new JsonArray([.. rotated.Select(k => (JsonNode)k.Kvno)]),
        };
    }

    /// <summary>The Windows policy values for a tenant (GET …/emulator/gpo).</summary>
    public static JsonObject GpoJson(Uri origin, Guid tenantId) => new()
    {
        ["realm"] = CloudRealm.Name,
        ["kdcProxyServers"] = new JsonObject
        {
            ["policy"] = "Computer Configuration > Administrative Templates > System > Kerberos > Specify KDC proxy servers for Kerberos clients",
            ["registryKey"] = ClientConfig.ProxyServersKey,
            ["valueName"] = CloudRealm.Name,
            ["value"] = ClientConfig.KdcProxyValue(origin, tenantId),
        },
        ["hostToRealm"] = new JsonObject
        {
            ["policy"] = "Computer Configuration > Administrative Templates > System > Kerberos > Define host name-to-Kerberos realm mappings",
            ["registryKey"] = ClientConfig.HostToRealmKey,
            ["valueName"] = CloudRealm.Name,
            ["value"] = ClientConfig.MappedHosts,
        },
        ["cloudKerberosTicketRetrievalEnabled"] = new JsonObject
        {
            ["registryKey"] = ClientConfig.LsaKerberosParametersKey,
            ["valueName"] = "CloudKerberosTicketRetrievalEnabled",
            ["value"] = 1,
        },
    };

    public static JsonObject TenantJson(Tenant tenant, bool isDefault) => new()
    {
        ["id"] = tenant.Id.ToString("D"),
        ["displayName"] = tenant.DisplayName,
        ["verifiedDomains"] = new JsonArray([.. tenant.VerifiedDomains.Select(d => (JsonNode)d)]),
        ["isDefault"] = isDefault,
        ["onPremisesDomainName"] = tenant.OnPremisesDomain?.DnsName,
        ["onPremisesNetBiosName"] = tenant.OnPremisesDomain?.NetBiosName,
        ["onPremisesDomainSid"] = tenant.OnPremisesDomain?.DomainSid.ToString(),
    };

    public static readonly string[] TenantFields =
    [
        "id", "displayName", "verifiedDomains", "isDefault", "onPremisesDomainName", "onPremisesNetBiosName", "onPremisesDomainSid",
    ];

    /// <summary>
    /// Validates a tenant body ({displayName, verifiedDomains, id?, isDefault?, onPremisesDomainName?, onPremisesNetBiosName?,
    /// onPremisesDomainSid?}) and adds the tenant with a fresh random krbtgt key; the store makes the first tenant the default.
    /// Null and the problems when the body is invalid; a <see cref="DirectoryConflictException"/> on a duplicate id or domain.
    /// </summary>
    public static async Task<(JsonObject? Json, string? Invalid)> AddTenantAsync(
        IDirectoryAdminStore store, IKerberosRandom random, BodyReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reader);
        var idText = reader.String("id", 64);
        Guid id = Guid.Empty;
        if (idText is not null && (!Guid.TryParse(idText, out id) || id == Guid.Empty))
        {
            reader.Error("id", "not a GUID");
        }

        var displayName = reader.String("displayName", 256, required: true);
        var domains = reader.Strings("verifiedDomains", 100, 253) ?? [];
        if (domains.Count == 0)
        {
            reader.Error("verifiedDomains", "at least one is required");
        }

        foreach (var domain in domains.Where(d => !DirectoryRules.IsDnsName(d)))
        {
            reader.Error("verifiedDomains", $"'{Truncate(domain)}' is not a DNS name");
        }

        var isDefault = reader.Bool("isDefault") ?? false;
        var dnsName = reader.String("onPremisesDomainName", 253);
        var netBiosName = reader.String("onPremisesNetBiosName", 15);
        var sidText = reader.String("onPremisesDomainSid", 184);
        OnPremisesDomain? onPremises = null;
        if (dnsName is not null || netBiosName is not null || sidText is not null)
        {
            SecurityIdentifier? sid = null;
            if (dnsName is null || !DirectoryRules.IsDnsName(dnsName))
            {
                reader.Error("onPremisesDomainName", "a DNS name is required for a hybrid tenant");
            }

            if (sidText is null || !SecurityIdentifier.TryParse(sidText, out sid) || sid.IdentifierAuthority != 5)
            {
                reader.Error("onPremisesDomainSid", "an on-premises domain SID (S-1-5-21-…) is required for a hybrid tenant");
            }

            var netBios = netBiosName ?? dnsName?.Split('.')[0];
            if (reader.Errors.Count == 0 && netBios is { Length: >= 1 and <= 15 })
            {
                onPremises = new OnPremisesDomain { DnsName = dnsName!.ToLowerInvariant(), NetBiosName = netBios.ToUpperInvariant(), DomainSid = sid! };
            }
        }

        if (reader.Message() is { } invalid)
        {
            return (null, invalid);
        }

        var tenant = new Tenant
        {
            Id = idText is null ? Guid.NewGuid() : id,
            DisplayName = displayName!,
            VerifiedDomains = [.. domains.Select(d => d.ToLowerInvariant())],
            OnPremisesDomain = onPremises,
        };
        foreach (var domain in tenant.VerifiedDomains)
        {
            if (await store.FindTenantAsync(domain, cancellationToken).ConfigureAwait(false) is { } owner)
            {
                throw new DirectoryConflictException("verifiedDomains", $"{domain} is already a verified domain of tenant {owner.Id:D}");
            }
        }

        var key = KeyFactory.RandomKrbtgtKey(random, kvno: 1, tenant.Policy.EncryptionTypes[0]);
        await store.AddTenantAsync(tenant, [key], isDefault, cancellationToken).ConfigureAwait(false);
        var current = await store.GetDefaultTenantAsync(cancellationToken).ConfigureAwait(false);
        return (TenantJson(tenant, current?.Id == tenant.Id), null);
    }

    /// <summary>Every tenant of the store, the default one marked.</summary>
    public static async Task<List<JsonObject>> ListTenantsAsync(IDirectoryAdminStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tenants = await store.ListTenantsAsync(cancellationToken).ConfigureAwait(false);
        var current = await store.GetDefaultTenantAsync(cancellationToken).ConfigureAwait(false);
        return [.. tenants.Select(t => TenantJson(t, t.Id == current?.Id))];
    }

    public static string Truncate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 64 ? text[..64] + "…" : text;
    }
}

/// <summary>A request the administration refuses: <see cref="Status"/> is the HTTP status the API answers with (400 or 404).</summary>
internal sealed class AdminException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
