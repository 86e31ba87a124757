using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// The TGS exchange: service tickets (and renewed or fresh TGTs) for the holder of a cloud TGT.
/// Order: open the TGT and authenticator (protocol) → re-read the user and the service (gather) →
/// option and policy checks → issue. The PAC is rebuilt from the directory, so group changes and
/// disabled accounts take effect at the next TGS request rather than at the next logon.
/// </summary>
internal sealed class TgsExchange(IDirectoryStore store, TicketIssuer issuer, PacFactory pacFactory, IKerberosRandom random)
{
    public async ValueTask<ExchangeResult> ProcessAsync(TgsReq request, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = request.Body;
        var policy = tenant.Policy;

        if (!string.Equals(body.Realm, CloudRealm.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(KerberosErrorCode.KDC_ERR_WRONG_REALM, "realm is not " + CloudRealm.Name);
        }

        if (body.ServerName is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "no server name");
        }

        if (TicketFlagRules.CheckRefused(TicketFlagRules.TgsUnsupported, body.Options) is { } unsupported)
        {
            return new ExchangeResult(unsupported);
        }

        var apReq = request.FindApReq();
        if (apReq is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP, "no PA-TGS-REQ");
        }

        var krbtgtKeys = await store.GetKrbtgtKeysAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
        if (TgtValidator.IsInboundReferral(apReq.Ticket))
        {
            return await ProcessReferralAsync(apReq, body, tenant, krbtgtKeys, now, cancellationToken).ConfigureAwait(false);
        }

        var tgt = TgtValidator.Open(apReq, body, krbtgtKeys, policy, now, out var refusal);
        if (tgt is null)
        {
            return new ExchangeResult(refusal!);
        }

        var client = tgt.Ticket.ClientName.FullName + "@" + tgt.Ticket.ClientRealm;

        // Gather: the user as the directory has it now.
        var user = await ClientNameResolver.ResolveAsync(store, tenant, tgt.Ticket.ClientName, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, "client no longer exists", client);
        }

        if (!user.AccountEnabled)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_CLIENT_REVOKED, "account disabled", client);
        }

        // PAC_REQUESTOR binds the TGT to the account it was issued to: a deleted user whose name was
        // reused by a new account must not carry over (the CVE-2021-42287 lesson). Our TGTs always carry
        // one, so a TGT without it is not ours to trust by name alone.
        if (tgt.Pac?.Requestor is not { } requestor)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_TGT_REVOKED, "TGT has no PAC requestor", client);
        }

        if (requestor.Sid != PacFactory.UserSid(user))
        {
            return Refuse(KerberosErrorCode.KDC_ERR_TGT_REVOKED, "TGT was issued to another account", client);
        }

        if (TicketFlagRules.CheckTgtFlags(body.Options, tgt.Ticket.Flags) is { } badOption)
        {
            return new ExchangeResult(badOption) { Client = client };
        }

        var sessionKeyType = EtypeNegotiation.SessionKeyType(body.EncryptionTypes, policy);
        if (sessionKeyType is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP, "no common encryption type", client);
        }

        var target = await ResolveTargetAsync(tenant, body.ServerName, krbtgtKeys, now, cancellationToken).ConfigureAwait(false);
        if (target.Refusal is { } targetRefusal)
        {
            return new ExchangeResult(targetRefusal) { Client = client };
        }

        var isRenew = (body.Options & KdcOptions.Renew) != 0;
        if (isRenew && target.Service is not null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_BADOPTION, "only TGTs are renewable", client);
        }

        var tagged = target.Service is { } sp && HasCloudGroupSidsTag(sp);
        if (user.OnPremises is null && target.Service is not null && !tagged)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_POLICY, "cloud-only user and the service is not tagged " + ServicePrincipal.CloudGroupSidsTag, client);
        }

        // Lifetimes and flags.
        var tgtPart = tgt.Ticket;
        var till = Lifetimes.Requested(body.Till);
        TicketFlags flags;
        DateTimeOffset endTime;
        DateTimeOffset? renewTill = null;
        if (isRenew)
        {
            if (tgtPart.RenewTill is not { } limit || now >= limit)
            {
                return Refuse(KerberosErrorCode.KRB_AP_ERR_TKT_EXPIRED, "renewable lifetime is over", client);
            }

            // A renewed TGT keeps who and when the user authenticated; it is no longer the AS's own ticket.
            flags = tgtPart.Flags & ~TicketFlags.Initial;
            // The client's till still bounds the renewed ticket: MIT rejects an endtime past what it sent.
            endTime = Lifetimes.Min(till, Lifetimes.After(now, policy.TgtLifetime), limit);
            renewTill = limit;
        }
        else if (target.Service is null)
        {
            flags = TicketFlagRules.GrantTgs(body.Options, tgtPart.Flags);
            endTime = Lifetimes.Min(till, Lifetimes.After(now, policy.TgtLifetime), tgtPart.EndTime);
            if ((body.Options & KdcOptions.Renewable) != 0 && tgtPart.RenewTill is { } tgtRenewTill)
            {
                flags |= TicketFlags.Renewable;
                renewTill = Lifetimes.Min(Lifetimes.Requested(body.RenewTill ?? body.Till), tgtRenewTill);
            }
        }
        else
        {
            // Entra service tickets: forwardable when the TGT is, never renewable (facts §7.2).
            flags = TicketFlagRules.GrantTgs(body.Options, tgtPart.Flags);
            endTime = Lifetimes.Min(till, Lifetimes.After(now, policy.ServiceTicketLifetime), tgtPart.EndTime);
        }

        if (endTime <= now)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_NEVER_VALID, "requested end time is in the past", client);
        }

        // A client that declined the PAC at the AS gets service tickets without one; a TGT keeps its PAC either way.
        PrivilegeAttributeCertificate? pac = null;
        var attributes = tgt.Pac.AttributesInfo ?? new PacAttributesInfo(pacWasRequested: false, pacWasGivenImplicitly: true);
        if (target.Service is null || attributes.PacWasRequested || attributes.PacWasGivenImplicitly)
        {
            pac = await pacFactory.BuildAsync(tenant, user, tgtPart.ClientName, tgtPart.AuthTime, tagged, attributes, cancellationToken).ConfigureAwait(false);
        }

        var spec = new TicketSpec
        {
            ClientRealm = tgtPart.ClientRealm,
            ClientName = tgtPart.ClientName,
            ServerRealm = body.Realm,
            ServerName = body.ServerName,
            Flags = flags,
            AuthTime = tgtPart.AuthTime,
            StartTime = now,
            EndTime = endTime,
            RenewTill = renewTill,
            SessionKey = KerberosEncryption.RandomKey(sessionKeyType.Value, random),
            TicketKey = target.Key!,
            KrbtgtKey = krbtgtKeys[0].Key,
            Pac = pac,
            IsServiceTicket = target.Service is not null,
        };

        // RFC 4120 §5.4.2: with an authenticator subkey the reply is under the subkey (usage 9), else the session key (usage 8).
        var reply = tgt.Subkey is { } subkey
            ? new ReplySpec(MessageType.TgsRep, body.Nonce, now, subkey, KeyUsage.TgsRepEncPartSubkey, null, null)
            : new ReplySpec(MessageType.TgsRep, body.Nonce, now, tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey, null, null);
        return new ExchangeResult(issuer.Issue(spec, reply).Encode()) { Client = client };
    }

    /// <summary>
    /// Incoming trust (facts §4.7): a referral TGT krbtgt/KERBEROS.MICROSOFTONLINE.COM@REALM issued by a realm the
    /// tenant trusts, opened with the inter-realm key. The client is not in our directory, so the service ticket's
    /// PAC is the presented one, SID-filtered (<see cref="CrossRealmPac"/>) and re-signed with the service key and
    /// our krbtgt key. Only service tickets: no TGTs of our realm for foreign principals, no renewal.
    /// </summary>
    private async ValueTask<ExchangeResult> ProcessReferralAsync(
        ApReq apReq, KdcReqBody body, Tenant tenant, IReadOnlyList<StoredKey> krbtgtKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = tenant.Policy;
        var realm = apReq.Ticket.Realm;
        var trustKeys = await store.GetInboundTrustKeysAsync(tenant.Id, realm, cancellationToken).ConfigureAwait(false);
        if (trustKeys.Count == 0)
        {
            // MIT's answer when krbtgt/<our realm>@<their realm> is not in its database.
            return Refuse(KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "no inbound trust from " + realm);
        }

        var tgt = TgtValidator.OpenReferral(apReq, body, trustKeys, policy, now, out var refusal);
        if (tgt is null)
        {
            return new ExchangeResult(refusal!);
        }

        var tgtPart = tgt.Ticket;
        var client = tgtPart.ClientName.FullName + "@" + tgtPart.ClientRealm;

        // Direct trust only: the client must belong to the realm that issued the referral (no transited realms).
        if (!string.Equals(tgtPart.ClientRealm, realm, StringComparison.OrdinalIgnoreCase) || tgtPart.Transited.Contents.Length != 0)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_PATH_NOT_ACCEPTED, "client realm is not the trusted realm " + realm, client);
        }

        // Authorization comes only from the PAC: a referral without one carries nothing we could put in a ticket.
        if (tgt.Pac is not { } presented)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_TGT_REVOKED, "referral TGT has no PAC", client);
        }

        if (CrossRealmPac.Filter(presented) is not { } filtered)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_POLICY, "the trusted realm claims a user SID in the cloud namespace", client);
        }

        if (TicketFlagRules.CheckTgtFlags(body.Options, tgtPart.Flags) is { } badOption)
        {
            return new ExchangeResult(badOption) { Client = client };
        }

        if ((body.Options & KdcOptions.Renew) != 0)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_BADOPTION, "only TGTs are renewable", client);
        }

        var sessionKeyType = EtypeNegotiation.SessionKeyType(body.EncryptionTypes, policy);
        if (sessionKeyType is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP, "no common encryption type", client);
        }

        var target = await ResolveTargetAsync(tenant, body.ServerName!, krbtgtKeys, now, cancellationToken).ConfigureAwait(false);
        if (target.Refusal is { } targetRefusal)
        {
            return new ExchangeResult(targetRefusal) { Client = client };
        }

        if (target.Service is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_POLICY, "a trusted realm's users get service tickets only", client);
        }

        var flags = TicketFlagRules.GrantTgs(body.Options, tgtPart.Flags);
        var endTime = Lifetimes.Min(Lifetimes.Requested(body.Till), Lifetimes.After(now, policy.ServiceTicketLifetime), tgtPart.EndTime);
        if (endTime <= now)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_NEVER_VALID, "requested end time is in the past", client);
        }

        var attributes = presented.AttributesInfo ?? new PacAttributesInfo(pacWasRequested: false, pacWasGivenImplicitly: true);
        var pac = attributes.PacWasRequested || attributes.PacWasGivenImplicitly ? filtered : null;
        var spec = new TicketSpec
        {
            ClientRealm = tgtPart.ClientRealm,
            ClientName = tgtPart.ClientName,
            ServerRealm = body.Realm,
            ServerName = body.ServerName!,
            Flags = flags,
            AuthTime = tgtPart.AuthTime,
            StartTime = now,
            EndTime = endTime,
            SessionKey = KerberosEncryption.RandomKey(sessionKeyType.Value, random),
            TicketKey = target.Key!,
            KrbtgtKey = krbtgtKeys[0].Key,
            Pac = pac,
            IsServiceTicket = true,
        };

        var reply = tgt.Subkey is { } subkey
            ? new ReplySpec(MessageType.TgsRep, body.Nonce, now, subkey, KeyUsage.TgsRepEncPartSubkey, null, null)
            : new ReplySpec(MessageType.TgsRep, body.Nonce, now, tgt.SessionKey, KeyUsage.TgsRepEncPartSessionKey, null, null);
        return new ExchangeResult(issuer.Issue(spec, reply).Encode()) { Client = client };
    }

    private static ExchangeResult Refuse(KerberosErrorCode code, string reason, string? client = null) =>
        new(new Refusal(code, reason)) { Client = client };

    private static bool HasCloudGroupSidsTag(ServicePrincipal servicePrincipal)
    {
        foreach (var tag in servicePrincipal.Tags)
        {
            if (string.Equals(tag, ServicePrincipal.CloudGroupSidsTag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ticket's target: this realm's TGS (a new or renewed TGT) or a service principal's SPN.</summary>
    private async ValueTask<Target> ResolveTargetAsync(
        Tenant tenant, PrincipalName serverName, IReadOnlyList<StoredKey> krbtgtKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (AsExchange.IsCloudTgs(serverName))
        {
            return new Target(null, krbtgtKeys[0], null);
        }

        // No outbound trusts and no referrals: Entra answers an unknown SPN with an error (facts §7.4).
        if (serverName.Components.Count > 0 && string.Equals(serverName.Components[0], "krbtgt", StringComparison.OrdinalIgnoreCase))
        {
            return Target.Refused(KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "no cross-realm trust to that realm");
        }

        var spn = serverName.FullName;
        var service = await store.FindServicePrincipalAsync(tenant.Id, spn, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return Target.Refused(KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "SPN not registered");
        }

        if (!service.AccountEnabled)
        {
            return Target.Refused(KerberosErrorCode.KDC_ERR_SERVICE_REVOKED, "service principal disabled");
        }

        if (!service.KeysBySpn.TryGetValue(spn.ToLowerInvariant(), out var keys) && !service.KeysBySpn.TryGetValue(spn, out keys))
        {
            keys = null;
        }

        if (keys is null || keys.Count == 0)
        {
            return Target.Refused(KerberosErrorCode.KDC_ERR_NULL_KEY, "service principal has no Kerberos key");
        }

        var allExpired = true;
        foreach (var key in keys)
        {
            allExpired &= key.ExpiresOn is { } expires && expires <= now;
        }

        if (allExpired)
        {
            return Target.Refused(KerberosErrorCode.KDC_ERR_SERVICE_EXP, "service principal credential expired");
        }

        var serviceKey = EtypeNegotiation.ServiceKey(keys, tenant.Policy, now);
        return serviceKey is null
            ? Target.Refused(KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP, "service has no key of an allowed encryption type")
            : new Target(service, serviceKey, null);
    }

    private readonly record struct Target(ServicePrincipal? Service, StoredKey? Key, Refusal? Refusal)
    {
        public static Target Refused(KerberosErrorCode code, string reason) => new(null, null, new Refusal(code, reason));
    }
}
