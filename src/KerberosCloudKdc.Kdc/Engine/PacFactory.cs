using System.Buffers.Binary;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Builds the unsigned PAC for a user from the directory as it is now (facts §5.4, §7.3): the on-premises
/// SID split into domain SID + RID, synced group SIDs (same-domain ones as RIDs, others as extra SIDs),
/// cloud group SIDs only for services that opted in, capped at <see cref="MaxGroupSids"/>.
/// Signing is the issuer's job, because which keys sign depends on the ticket.
/// </summary>
public sealed class PacFactory(IDirectoryStore store)
{
    /// <summary>Entra tickets hold at most this many group SIDs (facts §5.4); the primary group counts.</summary>
    public const int MaxGroupSids = 1010;

    /// <summary>Cloud-only identities live under S-1-12-1 (the Entra authority); Windows shows their domain as AzureAD.</summary>
    public const string CloudNetBiosDomain = "AzureAD";

    /// <summary>S-1-12-1-a-b-c-d: the object id's 16 bytes (Guid.ToByteArray order) read as four little-endian uint32s.</summary>
    public static SecurityIdentifier CloudSid(Guid objectId)
    {
        Span<byte> bytes = stackalloc byte[16];
        objectId.TryWriteBytes(bytes);
        return new SecurityIdentifier(12,
        [
            1,
            BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]),
        ]);
    }

    /// <summary>The SID a ticket names the user by: the on-premises SID for hybrid users, the S-1-12-1 form otherwise.</summary>
    public static SecurityIdentifier UserSid(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.OnPremises?.SecurityIdentifier ?? CloudSid(user.ObjectId);
    }

    /// <param name="clientName">The ticket's cname: PAC_CLIENT_INFO must spell it the same way.</param>
    /// <param name="includeCloudGroupSids">True only for service principals tagged kdc_enable_cloud_group_sids.</param>
    /// <param name="attributes">What the client said about the PAC (PAC_ATTRIBUTES_INFO).</param>
    public async ValueTask<PrivilegeAttributeCertificate> BuildAsync(
        Tenant tenant,
        DirectoryUser user,
        PrincipalName clientName,
        DateTimeOffset authTime,
        bool includeCloudGroupSids,
        PacAttributesInfo attributes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(clientName);

        var identity = Identity.Of(tenant, user);
        var userSid = UserSid(user);
        var domainSid = DomainOf(userSid);
        var primaryGroupRid = user.OnPremises?.PrimaryGroupRid ?? PacBuilder.DomainUsersRid;

        // Synced groups first, cloud groups after: when the cap bites, the SIDs on-premises ACLs use survive.
        var rids = new List<uint>();
        var extraSids = new List<SidAndAttributes>();
        var cloudSids = new List<SidAndAttributes>();
        foreach (var groupId in user.GroupIds)
        {
            var group = await store.FindGroupAsync(tenant.Id, groupId, cancellationToken).ConfigureAwait(false);
            if (group is null)
            {
                continue;
            }

            if (group.OnPremisesSecurityIdentifier is { } sid)
            {
                if (domainSid == DomainOf(sid))
                {
                    if (sid.Rid != primaryGroupRid && !rids.Contains(sid.Rid))
                    {
                        rids.Add(sid.Rid);
                    }
                }
                else
                {
                    extraSids.Add(new SidAndAttributes(sid, GroupAttributes.DefaultGroup));
                }
            }
            else if (includeCloudGroupSids)
            {
                cloudSids.Add(new SidAndAttributes(CloudSid(group.ObjectId), GroupAttributes.DefaultGroup));
            }
        }

        var budget = MaxGroupSids - 1;
        if (rids.Count > budget)
        {
            rids.RemoveRange(budget, rids.Count - budget);
        }

        budget -= rids.Count;
        extraSids.AddRange(cloudSids);
        if (extraSids.Count > budget)
        {
            extraSids.RemoveRange(budget, extraSids.Count - budget);
        }

        return new PacBuilder
        {
            UserName = identity.SamName,
            Upn = user.UserPrincipalName,
            DnsDomainName = identity.DnsDomain,
            NetBiosDomainName = identity.NetBiosDomain,
            DomainSid = domainSid,
            UserRid = userSid.Rid,
            PrimaryGroupRid = primaryGroupRid,
            GroupRids = rids,
            ExtraSids = extraSids,
            AuthTime = authTime,
            FullName = user.DisplayName,
            ClientName = clientName.FullName,
            Attributes = attributes,
        }.Build();
    }

    private static SecurityIdentifier DomainOf(SecurityIdentifier sid)
    {
        var subs = sid.SubAuthorities;
        return subs.Count == 0 ? sid : new SecurityIdentifier(sid.IdentifierAuthority, subs.Take(subs.Count - 1).ToArray());
    }

    /// <summary>The names a PAC carries: on-premises ones for hybrid users, UPN-derived ones for cloud-only users.</summary>
    private readonly record struct Identity(string SamName, string DnsDomain, string NetBiosDomain)
    {
        public static Identity Of(Tenant tenant, DirectoryUser user)
        {
            if (user.OnPremises is { } onPremises)
            {
                var domain = tenant.OnPremisesDomain;
                var netBios = domain is not null && string.Equals(domain.DnsName, onPremises.DomainName, StringComparison.OrdinalIgnoreCase)
                    ? domain.NetBiosName
                    : FirstLabel(onPremises.DomainName).ToUpperInvariant();

                // Windows DCs write the DNS domain in upper case in UPN_DNS_INFO (it doubles as the realm).
                return new Identity(onPremises.SamAccountName, onPremises.DomainName.ToUpperInvariant(), netBios);
            }

            var upn = user.UserPrincipalName;
            var at = upn.LastIndexOf('@');
            return at > 0
                ? new Identity(upn[..at], upn[(at + 1)..].ToUpperInvariant(), CloudNetBiosDomain)
                : new Identity(upn, CloudRealm.Name, CloudNetBiosDomain);
        }

        private static string FirstLabel(string dns)
        {
            var dot = dns.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 ? dns[..dot] : dns;
        }
    }
}
