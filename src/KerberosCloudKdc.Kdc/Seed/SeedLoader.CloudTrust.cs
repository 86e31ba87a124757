using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Seed;

/// <summary>The seed's cloudTrust member: validated here, stored after the tenant's users.</summary>
public static partial class SeedLoader
{
    private sealed partial class Builder
    {
        private CloudTrustDomain? BuildCloudTrust(SeedCloudTrust? seed, string tenantPath, Tenant tenant)
        {
            if (seed is null)
            {
                return null;
            }

            var path = $"{tenantPath}.cloudTrust";
            var errorsBefore = Errors.Count;
            if (tenant.OnPremisesDomain is null)
            {
                // The default lists and the partial TGT's PAC need the AD domain SID.
                Error(path, "needs the tenant's onPremisesDomain");
            }

            if (seed.Domain is null || !DirectoryRules.IsDnsName(seed.Domain))
            {
                Error($"{path}.domain", seed.Domain is null ? "required" : "not a DNS name");
            }

            if (seed.RodcNumber is not { } rodc || rodc is < 1 or > ushort.MaxValue)
            {
                Error($"{path}.rodcNumber", seed.RodcNumber is null ? "required" : "must be 1-65535");
            }

            if (seed.KeyVersion is 0 or > int.MaxValue)
            {
                Error($"{path}.keyVersion", "must be 1-2147483647");
            }

            if ((seed.Password is null) == (seed.Key is null))
            {
                Error($"{path}.password", "give exactly one of password or key");
            }
            else if (seed.Password is { Length: 0 or > 256 })
            {
                Error($"{path}.password", "must be 1-256 characters");
            }

            var allowed = Sids(seed.AllowedGroups, $"{path}.allowedGroups");
            var denied = Sids(seed.DeniedGroups, $"{path}.deniedGroups");
            StoredKey? key = null;
            if (Errors.Count == errorsBefore)
            {
                var version = seed.KeyVersion ?? 1;
                try
                {
                    key = seed.Password is { } password
                        ? CloudTrustKeys.FromPassword(password, seed.Domain!, (ushort)seed.RodcNumber!.Value, version)
                        : CloudTrustKeys.FromRawKey(seed.Key!, version);
                }
                catch (ArgumentException e)
                {
                    Error($"{path}.key", e.Message);
                }
            }

            if (key is null || tenant.OnPremisesDomain is not { } domain)
            {
                return null;
            }

            return new CloudTrustDomain
            {
                DnsName = seed.Domain!.ToLowerInvariant(),
                RodcNumber = (ushort)seed.RodcNumber!.Value,
                Keys = [key],
                KeyUpdatedOn = clock.GetUtcNow(),
                AllowedGroupSids = allowed ?? CloudTrustDomain.DefaultAllowed(domain.DomainSid),
                DeniedGroupSids = denied ?? CloudTrustDomain.DefaultDenied(domain.DomainSid),
            };
        }

        private List<SecurityIdentifier>? Sids(List<string>? texts, string path)
        {
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
                    Error($"{path}[{i}]", "not a SID (S-1-5-21-…)");
                }
            }

            return sids;
        }
    }
}
