using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>What to put in a TGT minted outside the AS exchange (the token endpoint's tgt_cloud, facts §3.8).</summary>
public sealed record TgtOptions
{
    /// <summary>The client name in the ticket and reply; null means the canonical NT-ENTERPRISE UPN.</summary>
    public PrincipalName? ClientName { get; init; }

    public string ClientRealm { get; init; } = CloudRealm.Name;

    /// <summary>The TGS name as the client asked for it; null means krbtgt/KERBEROS.MICROSOFTONLINE.COM.</summary>
    public PrincipalName? ServerName { get; init; }

    public string ServerRealm { get; init; } = CloudRealm.Name;

    public uint Nonce { get; init; }

    public bool Forwardable { get; init; } = true;

    /// <summary>Entra's TGTs carry the renewable flag with renew-till +7 days (facts §7.2).</summary>
    public bool Renewable { get; init; } = true;

    /// <summary>Upper bound for endtime; null means the policy's TGT lifetime.</summary>
    public DateTimeOffset? Till { get; init; }

    /// <summary>Upper bound for renew-till; null means the policy's renewable lifetime.</summary>
    public DateTimeOffset? RenewTill { get; init; }

    /// <summary>
    /// What the client said about the PAC (PA-PAC-REQUEST), recorded in the TGT's PAC_ATTRIBUTES_INFO. A TGT
    /// always carries a PAC, because PAC_REQUESTOR is what binds it to one account; a declined PAC only keeps
    /// the PAC out of service tickets (as Windows does since KB5008380).
    /// </summary>
    public PacAttributesInfo PacAttributes { get; init; } = new(pacWasRequested: false, pacWasGivenImplicitly: true);

    /// <summary>Session key etypes in preference order; null means the policy's first.</summary>
    public IReadOnlyList<EncryptionType>? SessionKeyTypes { get; init; }

    /// <summary>Plain padata for the AS-REP (the AS exchange puts PA-ETYPE-INFO2 here).</summary>
    public IReadOnlyList<PaData>? ReplyPaData { get; init; }

    /// <summary>kvno written on the AS-REP enc-part (the user's key version); null for a random client key.</summary>
    public uint? ReplyKeyVersion { get; init; }
}

/// <summary>An issued ticket with the parts a caller may want: the reply, its decrypted halves and the session key.</summary>
public sealed record IssuedTicket(KdcReply Reply, EncKdcRepPart ReplyPart, EncTicketPart TicketPart, KerberosKey SessionKey)
{
    public byte[] Encode() => Reply.Encode();
}

/// <summary>
/// Mints tickets: the one place EncTicketParts are built, PACs signed and replies encrypted. The AS and
/// TGS exchanges call it after all checks passed; the token endpoint calls <see cref="IssueTgtAsync"/>
/// directly to mint cloud TGTs (real Entra delivers them in the PRT response, facts §3).
/// </summary>
public sealed class TicketIssuer
{
    private readonly IDirectoryStore store;
    private readonly TimeProvider clock;
    private readonly IKerberosRandom random;
    private readonly PacFactory pacFactory;

    public TicketIssuer(IDirectoryStore store, TimeProvider clock, IKerberosRandom random)
        : this(store, clock, random, new PacFactory(store))
    {
    }

    internal TicketIssuer(IDirectoryStore store, TimeProvider clock, IKerberosRandom random, PacFactory pacFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(random);
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.pacFactory = pacFactory;
    }

    /// <summary>
    /// Mints a cloud TGT for <paramref name="user"/> as an AS-REP whose enc-part (EncASRepPart, usage 3) is
    /// encrypted with <paramref name="replyKey"/>. Policy (enabled account, hybrid identity) is the caller's
    /// to check; this only issues.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tenant has no krbtgt key.</exception>
    public async ValueTask<IssuedTicket> IssueTgtAsync(Tenant tenant, DirectoryUser user, KerberosKey replyKey, TgtOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var keys = await store.GetKrbtgtKeysAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
        var krbtgtKey = keys.Count > 0 ? keys[0] : throw new InvalidOperationException("The tenant has no krbtgt key.");
        return await IssueTgtAsync(tenant, user, replyKey, options ?? new TgtOptions(), krbtgtKey, Lifetimes.Now(clock), cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask<IssuedTicket> IssueTgtAsync(
        Tenant tenant, DirectoryUser user, KerberosKey replyKey, TgtOptions options, StoredKey krbtgtKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(replyKey);
        var policy = tenant.Policy;

        var endTime = Lifetimes.Min(Lifetimes.Requested(options.Till), Lifetimes.After(now, policy.TgtLifetime));
        var flags = TicketFlagRules.AsAlways | (options.Forwardable ? TicketFlags.Forwardable : TicketFlags.None);
        DateTimeOffset? renewTill = null;
        if (options.Renewable && policy.TgtRenewableLifetime > TimeSpan.Zero)
        {
            // Never past the client's rtime: MIT's kinit rejects a reply whose renew-till exceeds what it
            // asked for (KRB5_KDCREP_MODIFIED), even when that is shorter than the ticket's own lifetime.
            flags |= TicketFlags.Renewable;
            renewTill = Lifetimes.Min(Lifetimes.Requested(options.RenewTill), Lifetimes.After(now, policy.TgtRenewableLifetime));
        }

        var sessionKeyType = options.SessionKeyTypes is { } requested
            ? EtypeNegotiation.SessionKeyType(requested, policy) ?? throw new InvalidOperationException("No session key type in common with the policy.")
            : policy.EncryptionTypes[0];
        var clientName = options.ClientName ?? ClientNameResolver.Canonical(user);

        var pac = await pacFactory.BuildAsync(tenant, user, clientName, now, includeCloudGroupSids: false, options.PacAttributes, cancellationToken).ConfigureAwait(false);

        var spec = new TicketSpec
        {
            ClientRealm = options.ClientRealm,
            ClientName = clientName,
            ServerRealm = options.ServerRealm,
            ServerName = options.ServerName ?? PrincipalName.Krbtgt(CloudRealm.Name),
            Flags = flags,
            AuthTime = now,
            StartTime = now,
            EndTime = endTime,
            RenewTill = renewTill,
            SessionKey = KerberosEncryption.RandomKey(sessionKeyType, random),
            TicketKey = krbtgtKey,
            KrbtgtKey = krbtgtKey.Key,
            Pac = pac,
            IsServiceTicket = false,
        };

        return Issue(spec, new ReplySpec(MessageType.AsRep, options.Nonce, now, replyKey, KeyUsage.AsRepEncPart, options.ReplyKeyVersion, options.ReplyPaData));
    }

    /// <summary>Issues from fully decided parameters (the TGS exchange decides them).</summary>
    internal IssuedTicket Issue(TicketSpec spec, ReplySpec reply)
    {
        var ticketPart = BuildTicketPart(spec);
        var ticket = new Ticket
        {
            Realm = spec.ServerRealm,
            ServerName = spec.ServerName,
            EncryptedPart = EncryptedData.Encrypt(spec.TicketKey.Key, KeyUsage.TicketEncPart, ticketPart.Encode(), random, spec.TicketKey.Kvno),
        };

        var replyPart = new EncKdcRepPart
        {
            ApplicationTag = reply.Type == MessageType.AsRep ? ApplicationTag.EncAsRepPart : ApplicationTag.EncTgsRepPart,
            Key = EncryptionKey.From(spec.SessionKey),

            // This KDC tracks no last-request times; one type-0 entry is what RFC 4120 §5.4.2 asks for then.
            LastRequests = [new LastReq { Type = 0, Value = reply.Now }],
            Nonce = reply.Nonce,
            Flags = spec.Flags,
            AuthTime = spec.AuthTime,
            StartTime = spec.StartTime,
            EndTime = spec.EndTime,
            RenewTill = spec.RenewTill,
            ServerRealm = spec.ServerRealm,
            ServerName = spec.ServerName,
        };

        var encrypted = EncryptedData.Encrypt(reply.Key, reply.Usage, replyPart.Encode(), random, reply.KeyVersion);
        KdcReply message = reply.Type == MessageType.AsRep
            ? new AsRep { PaData = reply.PaData, ClientRealm = spec.ClientRealm, ClientName = spec.ClientName, Ticket = ticket, EncryptedPart = encrypted }
            : new TgsRep { PaData = reply.PaData, ClientRealm = spec.ClientRealm, ClientName = spec.ClientName, Ticket = ticket, EncryptedPart = encrypted };
        return new IssuedTicket(message, replyPart, ticketPart, spec.SessionKey);
    }

    private static EncTicketPart BuildTicketPart(TicketSpec spec)
    {
        if (spec.Pac is null)
        {
            return TicketPart(spec, authorizationData: null);
        }

        // TGTs: server and KDC signatures, both with the krbtgt key (the TGT's "server" is krbtgt).
        if (!spec.IsServiceTicket)
        {
            var signed = PacSigner.Sign(spec.Pac, spec.TicketKey.Key, spec.KrbtgtKey);
            return TicketPart(spec, [AuthorizationData.WrapPac(signed)]);
        }

        // Service tickets also get the ticket and full signatures (MS-PAC §2.8.3, §2.8.5): the ticket
        // signature covers this very EncTicketPart with the PAC replaced by one zero byte.
        var placeholder = TicketPart(spec, [AuthorizationData.WrapPac(new byte[1])]).Encode();
        var pac = PacSigner.Sign(spec.Pac, spec.TicketKey.Key, spec.KrbtgtKey, placeholder);
        return TicketPart(spec, [AuthorizationData.WrapPac(pac)]);
    }

    private static EncTicketPart TicketPart(TicketSpec spec, IReadOnlyList<AuthorizationData>? authorizationData) => new()
    {
        Flags = spec.Flags,
        Key = EncryptionKey.From(spec.SessionKey),
        ClientRealm = spec.ClientRealm,
        ClientName = spec.ClientName,
        AuthTime = spec.AuthTime,
        StartTime = spec.StartTime,
        EndTime = spec.EndTime,
        RenewTill = spec.RenewTill,
        AuthorizationData = authorizationData,
    };
}

/// <summary>Everything a ticket says, decided before issuing.</summary>
internal sealed record TicketSpec
{
    public required string ClientRealm { get; init; }

    public required PrincipalName ClientName { get; init; }

    public required string ServerRealm { get; init; }

    public required PrincipalName ServerName { get; init; }

    public required TicketFlags Flags { get; init; }

    public required DateTimeOffset AuthTime { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public DateTimeOffset? RenewTill { get; init; }

    public required KerberosKey SessionKey { get; init; }

    /// <summary>The key the ticket is encrypted with (krbtgt for TGTs, the service's key otherwise).</summary>
    public required StoredKey TicketKey { get; init; }

    /// <summary>Signs the PAC's KDC (and ticket/full) signatures.</summary>
    public required KerberosKey KrbtgtKey { get; init; }

    /// <summary>Unsigned; null for a ticket without PAC.</summary>
    public PrivilegeAttributeCertificate? Pac { get; init; }

    public required bool IsServiceTicket { get; init; }
}

/// <summary>How the reply's enc-part is protected and what else the reply carries.</summary>
internal sealed record ReplySpec(
    MessageType Type, uint Nonce, DateTimeOffset Now, KerberosKey Key, KeyUsage Usage, uint? KeyVersion, IReadOnlyList<PaData>? PaData);
