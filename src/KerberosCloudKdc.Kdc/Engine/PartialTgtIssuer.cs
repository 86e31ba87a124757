using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Mints partial TGTs for cloud Kerberos trust (facts §4.2–4.5): realm = the AD domain, sname krbtgt/REALM,
/// cname = SAM account name, encrypted with the krbtgt_AzureAD key under kvno RODC &lt;&lt; 16 | version,
/// PAC with only the user's SID and name; the AS-REP enc-part is encrypted with <c>replyKey</c> (usage 3).
/// A writable DC rebuilds the full PAC when it exchanges the ticket, so nothing more is sent.
/// </summary>
public sealed class PartialTgtIssuer
{
    private readonly IDirectoryStore store;
    private readonly TimeProvider clock;
    private readonly IKerberosRandom random;
    private readonly TicketIssuer issuer;

    public PartialTgtIssuer(IDirectoryStore store, TimeProvider clock, IKerberosRandom random)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(random);
        this.store = store;
        this.clock = clock;
        this.random = random;
        issuer = new TicketIssuer(store, clock, random);
    }

    public async ValueTask<PartialTgtOutcome> IssueAsync(Tenant tenant, DirectoryUser user, KerberosKey replyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(replyKey);

        if (user.OnPremises is not { } onPremises)
        {
            // A cloud-only user of a tenant whose own domain has a trust is told why; elsewhere tgt_ad is absent.
            var tenantTrust = tenant.OnPremisesDomain is { } domain
                ? await store.GetCloudTrustAsync(tenant.Id, domain.DnsName, cancellationToken).ConfigureAwait(false)
                : null;
            return tenantTrust is null ? PartialTgtOutcome.NotConfigured : Refused(tenantTrust, clientName: null, "user is not synced from on-premises AD");
        }

        var trust = await store.GetCloudTrustAsync(tenant.Id, onPremises.DomainName, cancellationToken).ConfigureAwait(false);
        if (trust is null)
        {
            return PartialTgtOutcome.NotConfigured;
        }

        var clientName = new PrincipalName(PrincipalNameType.Principal, onPremises.SamAccountName);
        if (!user.AccountEnabled)
        {
            return Refused(trust, clientName, "user account is disabled");
        }

        var refusal = ReplicationPolicy.Refusal(trust, await UserSidsAsync(tenant, user, onPremises, cancellationToken).ConfigureAwait(false));
        if (refusal is not null)
        {
            return Refused(trust, clientName, refusal);
        }

        // Entra issues AES256 only; with several keys of one version the newest AES256 one signs and encrypts.
        var key = trust.Keys.FirstOrDefault(k => k.EncryptionType == EncryptionType.Aes256CtsHmacSha196);
        if (key is null)
        {
            return Refused(trust, clientName, "the cloud trust has no AES256 key");
        }

        var ticket = issuer.Issue(Spec(tenant, user, onPremises, trust, key, clientName), Reply(replyKey));
        return new PartialTgtOutcome { Configured = true, Realm = trust.Realm, ClientName = clientName, Ticket = ticket };
    }

    private TicketSpec Spec(Tenant tenant, DirectoryUser user, OnPremisesIdentity onPremises, CloudTrustDomain trust, StoredKey key, PrincipalName clientName)
    {
        var now = Lifetimes.Now(clock);
        var policy = tenant.Policy;
        var flags = TicketFlagRules.AsAlways | TicketFlags.Forwardable;
        DateTimeOffset? renewTill = null;
        if (policy.TgtRenewableLifetime > TimeSpan.Zero)
        {
            flags |= TicketFlags.Renewable;
            renewTill = Lifetimes.After(now, policy.TgtRenewableLifetime);
        }

        // The ticket names the RODC key by its kvno; the stored key keeps the full KeyVersion.
        var ticketKey = key with { Kvno = trust.TicketKvno(key.Kvno) };
        return new TicketSpec
        {
            ClientRealm = trust.Realm,
            ClientName = clientName,
            ServerRealm = trust.Realm,
            ServerName = PrincipalName.Krbtgt(trust.Realm),
            Flags = flags,
            AuthTime = now,
            StartTime = now,
            EndTime = Lifetimes.After(now, policy.TgtLifetime),
            RenewTill = renewTill,
            SessionKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random),
            TicketKey = ticketKey,
            KrbtgtKey = key.Key,
            Pac = MinimalPac(tenant, user, onPremises, trust, clientName, now),
            IsServiceTicket = false,
        };
    }

    private ReplySpec Reply(KerberosKey replyKey)
    {
        Span<byte> nonce = stackalloc byte[4];
        random.Fill(nonce);
        return new ReplySpec(MessageType.AsRep, BitConverter.ToUInt32(nonce) & 0x7FFFFFFF, Lifetimes.Now(clock), replyKey, KeyUsage.AsRepEncPart, KeyVersion: null, PaData: null);
    }

    /// <summary>
    /// LOGON_INFO (user RID, domain SID, primary group, no other groups or extra SIDs), CLIENT_INFO,
    /// ATTRIBUTES (requested) and REQUESTOR: the buffer set impacket's working partial TGT carries (facts §4.3).
    /// UPN_DNS_INFO is left out, as there.
    /// </summary>
    private static PrivilegeAttributeCertificate MinimalPac(
        Tenant tenant, DirectoryUser user, OnPremisesIdentity onPremises, CloudTrustDomain trust, PrincipalName clientName, DateTimeOffset now)
    {
        var sid = onPremises.SecurityIdentifier;
        var netBios = tenant.OnPremisesDomain is { } domain && string.Equals(domain.DnsName, trust.DnsName, StringComparison.OrdinalIgnoreCase)
            ? domain.NetBiosName
            : trust.DnsName.Split('.')[0].ToUpperInvariant();
        var pac = new PacBuilder
        {
            UserName = onPremises.SamAccountName,
            Upn = user.UserPrincipalName,
            DnsDomainName = trust.Realm,
            NetBiosDomainName = netBios,
            DomainSid = DomainOf(sid),
            UserRid = sid.Rid,
            PrimaryGroupRid = onPremises.PrimaryGroupRid,
            AuthTime = now,
            FullName = user.DisplayName,
            ClientName = clientName.FullName,
            Attributes = new PacAttributesInfo(pacWasRequested: true, pacWasGivenImplicitly: false),
        }.Build();
        return new PrivilegeAttributeCertificate(pac.Buffers.Where(b => b is not UpnDnsInfo));
    }

    /// <summary>The SIDs the replication policy looks at: the user's own, the primary group's and each synced group's.</summary>
    private async ValueTask<List<(SecurityIdentifier Sid, string Label)>> UserSidsAsync(
        Tenant tenant, DirectoryUser user, OnPremisesIdentity onPremises, CancellationToken cancellationToken)
    {
        var userSid = onPremises.SecurityIdentifier;
        var primary = DomainOf(userSid).WithRid(onPremises.PrimaryGroupRid);
        var sids = new List<(SecurityIdentifier, string)> { (userSid, userSid.ToString()), (primary, primary.ToString()) };
        foreach (var groupId in user.GroupIds)
        {
            var group = await store.FindGroupAsync(tenant.Id, groupId, cancellationToken).ConfigureAwait(false);
            if (group?.OnPremisesSecurityIdentifier is { } groupSid)
            {
                sids.Add((groupSid, $"{group.DisplayName}, {groupSid}"));
            }
        }

        return sids;
    }

    private static PartialTgtOutcome Refused(CloudTrustDomain trust, PrincipalName? clientName, string error) =>
        new() { Configured = true, Realm = trust.Realm, ClientName = clientName, Error = error };

    private static SecurityIdentifier DomainOf(SecurityIdentifier sid)
    {
        var subs = sid.SubAuthorities;
        return subs.Count == 0 ? sid : new SecurityIdentifier(sid.IdentifierAuthority, subs.Take(subs.Count - 1).ToArray());
    }
}
