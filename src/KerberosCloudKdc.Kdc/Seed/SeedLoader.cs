using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Seed;

/// <summary>
/// Reads a seed file (strict JSON: unknown fields refused), validates all of it, and only then writes it
/// through an <see cref="IDirectoryAdminStore"/>: a refused seed leaves the store untouched. Secrets become keys
/// through <see cref="KeyFactory"/> and are not kept.
/// </summary>
public static class SeedLoader
{
    /// <summary>Seed files larger than this are refused unread (a directory of thousands of users is far smaller).</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>The storage account SPN suffix (facts §5.2).</summary>
    public const string FileEndpointSuffix = StorageAccounts.FileEndpointSuffix;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    public static SeedDocument Parse(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<SeedDocument>(json, JsonOptions)
                ?? throw new SeedException(["(root): the seed is null"], source);
        }
        catch (JsonException e)
        {
            throw new SeedException([DescribeJsonError(e)], source);
        }
    }

    public static SeedDocument ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new SeedException([$"(file): {path} does not exist"], path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new SeedException([$"(file): larger than {MaxFileBytes} bytes"], path);
        }

        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Validates <paramref name="seed"/> and returns the directory objects it describes, or throws <see cref="SeedException"/>.</summary>
    public static IReadOnlyList<SeededTenant> Build(SeedDocument seed, TimeProvider clock, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(clock);
        var builder = new Builder(clock);
        var tenants = builder.Build(seed);
        return builder.Errors.Count > 0 ? throw new SeedException(builder.Errors, source) : tenants;
    }

    /// <summary>
    /// Validates all of <paramref name="seed"/> first (a refused seed writes nothing), then adds each tenant that
    /// the store does not already hold; a tenant already present is skipped whole, so applying the same seed on
    /// every start is idempotent and never overwrites what the admin API changed since.
    /// </summary>
    /// <returns>The ids of the tenants that were added.</returns>
    public static async Task<IReadOnlyList<Guid>> LoadAsync(
        SeedDocument seed, IDirectoryAdminStore store, IKerberosRandom random, TimeProvider clock, string? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        var tenants = Build(seed, clock, source);
        var added = new List<Guid>();
        foreach (var seeded in tenants)
        {
            if (await store.FindTenantAsync(seeded.Tenant.Id.ToString("D"), cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var etype = seeded.Tenant.Policy.EncryptionTypes[0];
            // The store makes its first tenant the default until one is added with isDefault.
            await store.AddTenantAsync(seeded.Tenant, [KeyFactory.RandomKrbtgtKey(random, kvno: 1, etype)], seeded.IsDefault, cancellationToken).ConfigureAwait(false);
            foreach (var group in seeded.Groups)
            {
                await store.AddGroupAsync(seeded.Tenant.Id, group, cancellationToken).ConfigureAwait(false);
            }

            foreach (var user in seeded.Users)
            {
                await store.AddUserAsync(seeded.Tenant.Id, user, cancellationToken).ConfigureAwait(false);
            }

            foreach (var servicePrincipal in seeded.ServicePrincipals)
            {
                await store.AddServicePrincipalAsync(seeded.Tenant.Id, servicePrincipal, cancellationToken).ConfigureAwait(false);
            }

            foreach (var trust in seeded.InboundTrusts)
            {
                await store.SetInboundTrustKeysAsync(seeded.Tenant.Id, trust.Realm, trust.Keys, cancellationToken).ConfigureAwait(false);
            }

            foreach (var device in seeded.Devices)
            {
                await store.AddDeviceAsync(seeded.Tenant.Id, device, cancellationToken).ConfigureAwait(false);
            }

            added.Add(seeded.Tenant.Id);
        }

        return added;
    }

    private static string DescribeJsonError(JsonException e)
    {
        var path = e.Path is { Length: > 0 } p ? p.TrimStart('$').TrimStart('.') : string.Empty;
        if (path.Length == 0)
        {
            path = "(root)";
        }

        var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : string.Empty;
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = ExtractQuoted(e.Message);
            return $"{path}: unknown field{(name is null ? string.Empty : $" '{name}'")}{where}";
        }

        return e.InnerException is FormatException || e.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"{path}: wrong type or format{where}"
            : $"{path}: not valid JSON{where}";
    }

    private static string? ExtractQuoted(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }

    private sealed class Builder(TimeProvider clock)
    {
        private readonly HashSet<Guid> tenantIds = [];
        private readonly Dictionary<string, string> domainOwners = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Errors { get; } = [];

        public List<SeededTenant> Build(SeedDocument seed)
        {
            var result = new List<SeededTenant>();
            if (seed.Tenants is not { Count: > 0 } tenants)
            {
                Error("tenants", "at least one tenant is required");
                return result;
            }

            var defaults = 0;
            for (var i = 0; i < tenants.Count; i++)
            {
                var path = $"tenants[{i}]";
                if (tenants[i] is not { } tenant)
                {
                    Error(path, "must be an object");
                    continue;
                }

                if (tenant.IsDefault == true && ++defaults > 1)
                {
                    Error($"{path}.isDefault", "only one tenant can be the default");
                }

                if (BuildTenant(tenant, path) is { } built)
                {
                    result.Add(built);
                }
            }

            return result;
        }

        private SeededTenant? BuildTenant(SeedTenant seed, string path)
        {
            var errorsBefore = Errors.Count;
            var id = RequireGuid(seed.Id, $"{path}.id");
            if (id is { } tenantId && !tenantIds.Add(tenantId))
            {
                Error($"{path}.id", "duplicate tenant id");
            }

            var displayName = RequireText(seed.DisplayName, $"{path}.displayName", 256);
            var domains = new List<string>();
            for (var i = 0; i < (seed.VerifiedDomains?.Count ?? 0); i++)
            {
                var domainPath = $"{path}.verifiedDomains[{i}]";
                var domain = seed.VerifiedDomains![i];
                if (!DirectoryRules.IsDnsName(domain))
                {
                    Error(domainPath, "not a DNS name");
                }
                else if (domainOwners.TryGetValue(domain, out var owner))
                {
                    Error(domainPath, $"'{domain}' is already verified by {owner}");
                }
                else
                {
                    domainOwners[domain] = path;
                    domains.Add(domain.ToLowerInvariant());
                }
            }

            var onPremises = BuildOnPremisesDomain(seed.OnPremisesDomain, $"{path}.onPremisesDomain");
            var policy = BuildPolicy(seed.Policy, $"{path}.policy");
            if (id is not { } guid || displayName is null || Errors.Count > errorsBefore)
            {
                // Keep validating the members so one run reports every fault.
                guid = id ?? Guid.Empty;
            }

            var tenant = new Tenant
            {
                Id = guid,
                DisplayName = displayName ?? string.Empty,
                VerifiedDomains = domains,
                OnPremisesDomain = onPremises,
                Policy = policy,
            };

            var groups = BuildGroups(seed.Groups, path, tenant);
            var users = BuildUsers(seed.Users, path, tenant, groups);
            var servicePrincipals = BuildServicePrincipals(seed, path, tenant);
            var trusts = BuildInboundTrusts(seed.InboundTrusts, path);
            var devices = SeedDevices.Build(seed.Devices, path, tenant.Id, clock.GetUtcNow(), Error);
            return Errors.Count > errorsBefore
                ? null
                : new SeededTenant(tenant, seed.IsDefault == true, groups.Values.ToList(), users, servicePrincipals) { InboundTrusts = trusts, Devices = devices };
        }

        private List<SeededInboundTrust> BuildInboundTrusts(List<SeedInboundTrust>? seeds, string tenantPath)
        {
            var result = new List<SeededInboundTrust>();
            var realms = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < (seeds?.Count ?? 0); i++)
            {
                var path = $"{tenantPath}.inboundTrusts[{i}]";
                if (seeds![i] is not { } seed)
                {
                    Error(path, "must be an object");
                    continue;
                }

                var errorsBefore = Errors.Count;
                var realm = seed.Realm;
                if (realm is null || !DirectoryRules.IsDnsName(realm))
                {
                    Error($"{path}.realm", realm is null ? "required" : "not a realm name (DNS-style, e.g. CONTOSO.LAB)");
                }
                else if (string.Equals(realm, CloudRealm.Name, StringComparison.OrdinalIgnoreCase))
                {
                    Error($"{path}.realm", "a tenant cannot trust its own realm");
                }
                else if (!realms.Add(realm))
                {
                    Error($"{path}.realm", "duplicate realm");
                }

                if (seed.Password is null)
                {
                    Error($"{path}.password", "required (a password or kk:<base64 key>)");
                }
                else if (seed.Password.Length is 0 or > 256)
                {
                    Error($"{path}.password", "must be 1-256 characters");
                }
                else if (seed.Password.StartsWith(KeyFactory.RawKeyPrefix, StringComparison.Ordinal))
                {
                    var bytes = new byte[64];
                    if (!Convert.TryFromBase64String(seed.Password[KeyFactory.RawKeyPrefix.Length..], bytes, out var written) || written is not (16 or 32))
                    {
                        Error($"{path}.password", "a kk: key must be base64 of 16 or 32 bytes");
                    }
                }

                if (seed.Kvno is 0)
                {
                    Error($"{path}.kvno", "must be at least 1");
                }

                if (Errors.Count == errorsBefore)
                {
                    var upper = realm!.ToUpperInvariant();
                    result.Add(new SeededInboundTrust(upper, KeyFactory.ForInboundTrust(seed.Password!, upper, seed.Kvno ?? 1)));
                }
            }

            return result;
        }

        private OnPremisesDomain? BuildOnPremisesDomain(SeedOnPremisesDomain? seed, string path)
        {
            if (seed is null)
            {
                return null;
            }

            var dnsName = seed.DnsName;
            if (!DirectoryRules.IsDnsName(dnsName))
            {
                Error($"{path}.dnsName", dnsName is null ? "required" : "not a DNS name");
            }

            var netBios = seed.NetBiosName;
            if (string.IsNullOrEmpty(netBios))
            {
                Error($"{path}.netBiosName", "required");
            }
            else if (netBios.Length > 15 || netBios.IndexOfAny(['\\', '/', ':', '*', '?', '"', '<', '>', '|', '.', ' ']) >= 0 || DirectoryRules.HasControl(netBios))
            {
                Error($"{path}.netBiosName", "not a NetBIOS name (1-15 characters, no \\/:*?\"<>|. or spaces)");
            }

            var sid = RequireDomainSid(seed.DomainSid, $"{path}.domainSid");
            return dnsName is null || netBios is null || sid is null || !DirectoryRules.IsDnsName(dnsName)
                ? null
                : new OnPremisesDomain { DnsName = dnsName.ToLowerInvariant(), NetBiosName = netBios.ToUpperInvariant(), DomainSid = sid };
        }

        private RealmPolicy BuildPolicy(SeedPolicy? seed, string path)
        {
            var policy = RealmPolicy.Default;
            if (seed is null)
            {
                return policy;
            }

            if (seed.AsExchangeEnabled is { } asExchange)
            {
                policy = policy with { AsExchangeEnabled = asExchange };
            }

            if (seed.CloudOnlyUsersAllowed is { } cloudOnly)
            {
                policy = policy with { CloudOnlyUsersAllowed = cloudOnly };
            }

            if (seed.PasswordGrantEnabled is { } passwordGrant)
            {
                policy = policy with { PasswordGrantEnabled = passwordGrant };
            }

            if (seed.KerberosTopLevelNames is { } topLevelNames)
            {
                if (topLevelNames.Any(n => string.IsNullOrWhiteSpace(n) || n.Contains(',', StringComparison.Ordinal) || n.Length > 255))
                {
                    Error($"{path}.kerberosTopLevelNames", "entries must be non-empty host suffixes without commas");
                }

                policy = policy with { KerberosTopLevelNames = topLevelNames };
            }

            if (Duration(seed.TgtLifetime, $"{path}.tgtLifetime") is { } tgt)
            {
                policy = policy with { TgtLifetime = tgt };
            }

            if (Duration(seed.TgtRenewableLifetime, $"{path}.tgtRenewableLifetime") is { } renewable)
            {
                policy = policy with { TgtRenewableLifetime = renewable };
            }

            if (Duration(seed.ServiceTicketLifetime, $"{path}.serviceTicketLifetime") is { } service)
            {
                policy = policy with { ServiceTicketLifetime = service };
            }

            if (Duration(seed.MaxClockSkew, $"{path}.maxClockSkew") is { } skew)
            {
                if (skew > TimeSpan.FromDays(1))
                {
                    Error($"{path}.maxClockSkew", "must not exceed one day");
                }

                policy = policy with { MaxClockSkew = skew };
            }

            if (policy.TgtRenewableLifetime < policy.TgtLifetime)
            {
                Error($"{path}.tgtRenewableLifetime", "must be at least tgtLifetime");
            }

            if (seed.EncryptionTypes is { } etypes)
            {
                var list = new List<EncryptionType>();
                if (etypes.Count == 0)
                {
                    Error($"{path}.encryptionTypes", "must not be empty");
                }

                for (var i = 0; i < etypes.Count; i++)
                {
                    var etype = (EncryptionType)etypes[i];
                    if (etype is not (EncryptionType.Aes128CtsHmacSha196 or EncryptionType.Aes256CtsHmacSha196
                        or EncryptionType.Aes128CtsHmacSha256128 or EncryptionType.Aes256CtsHmacSha384192))
                    {
                        Error($"{path}.encryptionTypes[{i}]", "not a supported etype (17, 18, 19 or 20)");
                    }
                    else if (list.Contains(etype))
                    {
                        Error($"{path}.encryptionTypes[{i}]", "duplicate etype");
                    }
                    else
                    {
                        list.Add(etype);
                    }
                }

                if (list.Count > 0)
                {
                    policy = policy with { EncryptionTypes = list };
                }
            }

            return policy;
        }

        private Dictionary<string, DirectoryGroup> BuildGroups(List<SeedGroup>? seeds, string tenantPath, Tenant tenant)
        {
            var groups = new Dictionary<string, DirectoryGroup>(StringComparer.OrdinalIgnoreCase);
            var ids = new HashSet<Guid>();
            for (var i = 0; i < (seeds?.Count ?? 0); i++)
            {
                var path = $"{tenantPath}.groups[{i}]";
                if (seeds![i] is not { } seed)
                {
                    Error(path, "must be an object");
                    continue;
                }

                var name = RequireText(seed.Name, $"{path}.name", 256);
                var objectId = OptionalGuid(seed.ObjectId, $"{path}.objectId") ?? StorageAccounts.StableObjectId(tenant.Id, "group", name ?? string.Empty);
                if (!ids.Add(objectId))
                {
                    Error($"{path}.objectId", "duplicate object id");
                }

                var sid = SidOrRid(seed.OnPremisesSecurityIdentifier, seed.Rid, tenant, path, "onPremisesSecurityIdentifier", required: false);
                if (name is null)
                {
                    continue;
                }

                if (groups.ContainsKey(name))
                {
                    Error($"{path}.name", $"duplicate group name '{name}'");
                    continue;
                }

                groups[name] = new DirectoryGroup { ObjectId = objectId, DisplayName = name, OnPremisesSecurityIdentifier = sid };
            }

            return groups;
        }

        private List<DirectoryUser> BuildUsers(List<SeedUser>? seeds, string tenantPath, Tenant tenant, Dictionary<string, DirectoryGroup> groups)
        {
            var users = new List<DirectoryUser>();
            var upns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var samNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var sids = new HashSet<SecurityIdentifier>();
            var ids = new HashSet<Guid>(groups.Values.Select(g => g.ObjectId));
            for (var i = 0; i < (seeds?.Count ?? 0); i++)
            {
                var path = $"{tenantPath}.users[{i}]";
                if (seeds![i] is not { } seed)
                {
                    Error(path, "must be an object");
                    continue;
                }

                var upn = seed.Upn;
                var upnOk = false;
                if (string.IsNullOrEmpty(upn))
                {
                    Error($"{path}.upn", "required");
                }
                else if (!DirectoryRules.IsUpn(upn, out var suffix))
                {
                    Error($"{path}.upn", "not a user principal name (name@domain)");
                }
                else if (!tenant.VerifiedDomains.Contains(suffix, StringComparer.OrdinalIgnoreCase))
                {
                    Error($"{path}.upn", $"domain '{suffix}' is not one of the tenant's verifiedDomains");
                }
                else if (!upns.Add(upn))
                {
                    Error($"{path}.upn", $"duplicate user '{upn}'");
                }
                else
                {
                    upnOk = true;
                }

                var objectId = OptionalGuid(seed.ObjectId, $"{path}.objectId") ?? StorageAccounts.StableObjectId(tenant.Id, "user", upn ?? string.Empty);
                if (!ids.Add(objectId))
                {
                    Error($"{path}.objectId", "duplicate object id");
                }

                if (seed.DisplayName is { Length: > 256 })
                {
                    Error($"{path}.displayName", "longer than 256 characters");
                }

                if (seed.Password is { Length: 0 })
                {
                    Error($"{path}.password", "must not be empty (leave it out for a user without keys)");
                }
                else if (seed.Password is { Length: > 256 })
                {
                    Error($"{path}.password", "longer than 256 characters");
                }

                var onPremises = BuildUserOnPremises(seed.OnPremises, $"{path}.onPremises", tenant, samNames, sids);
                var groupIds = new List<Guid>();
                for (var g = 0; g < (seed.Groups?.Count ?? 0); g++)
                {
                    var name = seed.Groups![g];
                    if (name is not null && groups.TryGetValue(name, out var group))
                    {
                        if (!groupIds.Contains(group.ObjectId))
                        {
                            groupIds.Add(group.ObjectId);
                        }
                    }
                    else
                    {
                        Error($"{path}.groups[{g}]", $"no group named '{name}' in this tenant");
                    }
                }

                if (!upnOk || Errors.Count > 0)
                {
                    continue;
                }

                users.Add(new DirectoryUser
                {
                    ObjectId = objectId,
                    UserPrincipalName = upn!,
                    DisplayName = seed.DisplayName ?? upn!,
                    AccountEnabled = seed.AccountEnabled ?? true,
                    Keys = seed.Password is { } password ? KeyFactory.ForUser(password, upn!, tenant.Policy.EncryptionTypes) : [],
                    OnPremises = onPremises,
                    GroupIds = groupIds,
                });
            }

            return users;
        }

        private OnPremisesIdentity? BuildUserOnPremises(SeedUserOnPremises? seed, string path, Tenant tenant, HashSet<string> samNames, HashSet<SecurityIdentifier> sids)
        {
            if (seed is null)
            {
                return null;
            }

            var sam = seed.SamAccountName;
            if (string.IsNullOrEmpty(sam))
            {
                Error($"{path}.samAccountName", "required");
            }
            else if (!DirectoryRules.IsSamAccountName(sam))
            {
                Error($"{path}.samAccountName", DirectoryRules.SamAccountNameRule);
            }
            else if (!samNames.Add(sam))
            {
                Error($"{path}.samAccountName", $"duplicate sAMAccountName '{sam}'");
            }

            var sid = SidOrRid(seed.SecurityIdentifier, seed.Rid, tenant, path, "securityIdentifier", required: true);
            if (sid is not null && !sids.Add(sid))
            {
                // Two accounts with one SID would each be the other in every PAC (and pass PAC_REQUESTOR checks).
                Error($"{path}.securityIdentifier", $"{sid} is already another user's SID");
            }

            var domainName = seed.DomainName ?? tenant.OnPremisesDomain?.DnsName;
            if (domainName is null)
            {
                Error($"{path}.domainName", "required when the tenant has no onPremisesDomain");
            }
            else if (!DirectoryRules.IsDnsName(domainName))
            {
                Error($"{path}.domainName", "not a DNS name");
            }

            return sam is null || sid is null || domainName is null
                ? null
                : new OnPremisesIdentity
                {
                    SamAccountName = sam,
                    SecurityIdentifier = sid,
                    DomainName = domainName.ToLowerInvariant(),
                    PrimaryGroupRid = seed.PrimaryGroupRid ?? 513,
                };
        }

        private List<ServicePrincipal> BuildServicePrincipals(SeedTenant seed, string tenantPath, Tenant tenant)
        {
            var result = new List<ServicePrincipal>();
            var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var ids = new HashSet<Guid>();
            var now = clock.GetUtcNow();
            for (var i = 0; i < (seed.ServicePrincipals?.Count ?? 0); i++)
            {
                var path = $"{tenantPath}.servicePrincipals[{i}]";
                if (seed.ServicePrincipals![i] is not { } sp)
                {
                    Error(path, "must be an object");
                    continue;
                }

                var name = RequireText(sp.DisplayName, $"{path}.displayName", 256);
                var spns = new List<string>();
                if (sp.ServicePrincipalNames is not { Count: > 0 })
                {
                    Error($"{path}.servicePrincipalNames", "at least one SPN is required");
                }
                else
                {
                    for (var s = 0; s < sp.ServicePrincipalNames.Count; s++)
                    {
                        var spnPath = $"{path}.servicePrincipalNames[{s}]";
                        var spn = sp.ServicePrincipalNames[s];
                        if (!DirectoryRules.IsSpn(spn))
                        {
                            Error(spnPath, "not an SPN (service/host[/name] or api://…)");
                        }
                        else if (!owners.TryAdd(spn, path))
                        {
                            Error(spnPath, $"'{spn}' is already registered by {owners[spn]}");
                        }
                        else
                        {
                            spns.Add(spn);
                        }
                    }
                }

                var objectId = OptionalGuid(sp.ObjectId, $"{path}.objectId") ?? StorageAccounts.StableObjectId(tenant.Id, "servicePrincipal", name ?? string.Empty);
                Add(result, ids, path, objectId, name, spns, sp.Password, required: false, sp.Kvno, sp.PasswordExpiresOn, sp.Tags, sp.AccountEnabled ?? true, tenant);
            }

            for (var i = 0; i < (seed.StorageAccounts?.Count ?? 0); i++)
            {
                var path = $"{tenantPath}.storageAccounts[{i}]";
                if (seed.StorageAccounts![i] is not { } account)
                {
                    Error(path, "must be an object");
                    continue;
                }

                var name = account.Name;
                if (name is null)
                {
                    Error($"{path}.name", "required");
                    continue;
                }

                if (!StorageAccounts.IsValidName(name))
                {
                    Error($"{path}.name", StorageAccounts.NameRule);
                    continue;
                }

                var spns = new List<string>();
                foreach (var spn in StorageAccounts.Spns(tenant.Id, name, account.PrivateLink == true))
                {
                    if (owners.TryAdd(spn, path))
                    {
                        spns.Add(spn);
                    }
                    else
                    {
                        Error($"{path}.name", $"SPN '{spn}' is already registered by {owners[spn]}");
                    }
                }

                var objectId = OptionalGuid(account.ObjectId, $"{path}.objectId") ?? StorageAccounts.ObjectId(tenant.Id, name);
                Add(result, ids, path, objectId, StorageAccounts.DisplayName(name), spns, account.Password, required: true, account.Kvno,
                    account.PasswordExpiresOn ?? StorageAccounts.DefaultExpiry(now), account.Tags, accountEnabled: true, tenant);
            }

            return result;
        }

        private void Add(
            List<ServicePrincipal> result, HashSet<Guid> ids, string path, Guid objectId, string? displayName, List<string> spns,
            string? secret, bool required, uint? kvno, DateTimeOffset? expiresOn, List<string>? tags, bool accountEnabled, Tenant tenant)
        {
            var errorsBefore = Errors.Count;
            if (!ids.Add(objectId))
            {
                Error($"{path}.objectId", "duplicate object id");
            }

            if (secret is null && required)
            {
                Error($"{path}.password", "required (a password or kk:<base64 key>)");
            }
            else if (secret is { Length: 0 })
            {
                Error($"{path}.password", "must not be empty");
            }
            else if (secret is not null && secret.StartsWith(KeyFactory.RawKeyPrefix, StringComparison.Ordinal))
            {
                var bytes = new byte[64];
                if (!Convert.TryFromBase64String(secret[KeyFactory.RawKeyPrefix.Length..], bytes, out var written) || written is not (16 or 32))
                {
                    Error($"{path}.password", "a kk: key must be base64 of 16 or 32 bytes");
                }
                else if (!tenant.Policy.EncryptionTypes.Contains(written == 32 ? EncryptionType.Aes256CtsHmacSha196 : EncryptionType.Aes128CtsHmacSha196))
                {
                    // Otherwise the seed would load and every ticket request for these SPNs fail with ETYPE_NOSUPP.
                    Error($"{path}.password", $"a {written}-byte kk: key is {(written == 32 ? "AES256" : "AES128")}-CTS-HMAC-SHA1-96, which the tenant policy does not issue");
                }
            }

            if (kvno is 0)
            {
                Error($"{path}.kvno", "must be at least 1");
            }

            var tagSet = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var t = 0; t < (tags?.Count ?? 0); t++)
            {
                if (string.IsNullOrWhiteSpace(tags![t]) || DirectoryRules.HasControl(tags[t]))
                {
                    Error($"{path}.tags[{t}]", "must be a non-empty tag");
                }
                else
                {
                    tagSet.Add(tags[t]);
                }
            }

            if (Errors.Count > errorsBefore || displayName is null || spns.Count == 0 || Errors.Count > 0)
            {
                return;
            }

            result.Add(new ServicePrincipal
            {
                ObjectId = objectId,
                DisplayName = displayName,
                ServicePrincipalNames = spns,
                KeysBySpn = secret is null
                    ? new Dictionary<string, IReadOnlyList<StoredKey>>()
                    : KeyFactory.ForServicePrincipal(secret, spns, tenant.Policy.EncryptionTypes, kvno ?? 1, expiresOn),
                Tags = tagSet,
                AccountEnabled = accountEnabled,
            });
        }

        private SecurityIdentifier? SidOrRid(string? sidText, uint? rid, Tenant tenant, string path, string sidField, bool required)
        {
            if (sidText is not null && rid is not null)
            {
                Error($"{path}.{sidField}", "give either a SID or a rid, not both");
                return null;
            }

            if (sidText is not null)
            {
                if (!SecurityIdentifier.TryParse(sidText, out var sid))
                {
                    Error($"{path}.{sidField}", "not a SID");
                    return null;
                }

                return sid;
            }

            if (rid is { } value)
            {
                if (tenant.OnPremisesDomain?.DomainSid is not { } domainSid)
                {
                    Error($"{path}.rid", "needs the tenant's onPremisesDomain.domainSid");
                    return null;
                }

                if (value < 500)
                {
                    Error($"{path}.rid", "must be at least 500");
                    return null;
                }

                return domainSid.WithRid(value);
            }

            if (required)
            {
                Error($"{path}.{sidField}", "required (or a rid)");
            }

            return null;
        }

        private SecurityIdentifier? RequireDomainSid(string? text, string path)
        {
            if (text is null)
            {
                Error(path, "required");
                return null;
            }

            if (!SecurityIdentifier.TryParse(text, out var sid))
            {
                Error(path, "not a SID");
                return null;
            }

            if (sid.IdentifierAuthority != 5 || sid.SubAuthorities is not [21, _, _, _])
            {
                Error(path, "not a domain SID (S-1-5-21-a-b-c)");
                return null;
            }

            return sid;
        }

        private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

        private TimeSpan? Duration(string? text, string path)
        {
            if (text is null)
            {
                return null;
            }

            if (!TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var value))
            {
                Error(path, "not a duration ([d.]hh:mm:ss, e.g. \"10:00:00\" or \"7.00:00:00\")");
                return null;
            }

            if (value <= TimeSpan.Zero)
            {
                Error(path, "must be positive");
                return null;
            }

            // Ticket times are now + lifetime: a year is far past any real policy, and bounds the arithmetic.
            if (value > MaxLifetime)
            {
                Error(path, $"must not exceed {MaxLifetime:c}");
                return null;
            }

            return value;
        }

        private Guid? RequireGuid(string? text, string path)
        {
            if (text is null)
            {
                Error(path, "required");
                return null;
            }

            return OptionalGuid(text, path);
        }

        private Guid? OptionalGuid(string? text, string path)
        {
            if (text is null)
            {
                return null;
            }

            if (!Guid.TryParseExact(text, "D", out var guid) || guid == Guid.Empty)
            {
                Error(path, "not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
                return null;
            }

            return guid;
        }

        private string? RequireText(string? text, string path, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                Error(path, "required");
                return null;
            }

            if (text.Length > maxLength || DirectoryRules.HasControl(text))
            {
                Error(path, $"must be at most {maxLength} printable characters");
                return null;
            }

            return text;
        }

        private void Error(string path, string message) => Errors.Add($"{path}: {message}");
    }
}

/// <summary>One validated tenant of a seed, ready to be added to a store.</summary>
public sealed record SeededTenant(
    Tenant Tenant,
    bool IsDefault,
    IReadOnlyList<DirectoryGroup> Groups,
    IReadOnlyList<DirectoryUser> Users,
    IReadOnlyList<ServicePrincipal> ServicePrincipals)
{
    public IReadOnlyList<SeededInboundTrust> InboundTrusts { get; init; } = [];

    public IReadOnlyList<RegisteredDevice> Devices { get; init; } = [];
}

/// <summary>An inbound trust of a seeded tenant: the realm (upper case) and its derived keys.</summary>
public sealed record SeededInboundTrust(string Realm, IReadOnlyList<StoredKey> Keys);
