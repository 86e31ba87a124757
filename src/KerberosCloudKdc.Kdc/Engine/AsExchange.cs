using KerberosCloudKdc.Protocol.Pac;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// The AS exchange: password-key TGTs for MIT kinit and friends. Real Entra mints TGTs on its token
/// endpoint only (facts §7.6), so this is a lab convenience that a tenant can switch off.
/// Order: gather (user, keys) → protocol constraints → policy → pre-authentication → issue.
/// </summary>
internal sealed class AsExchange(IDirectoryStore store, TicketIssuer issuer)
{
    public async ValueTask<ExchangeResult> ProcessAsync(AsReq request, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = request.Body;
        var policy = tenant.Policy;

        // Protocol constraints on the request itself.
        if (!string.Equals(body.Realm, CloudRealm.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(KerberosErrorCode.KDC_ERR_WRONG_REALM, "realm is not " + CloudRealm.Name);
        }

        if (!IsCloudTgs(body.ServerName))
        {
            return Refuse(KerberosErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, "the AS exchange issues only krbtgt/" + CloudRealm.Name);
        }

        if (TicketFlagRules.CheckRefused(TicketFlagRules.AsRefused, body.Options) is { } badOption)
        {
            return new ExchangeResult(badOption);
        }

        if (!policy.AsExchangeEnabled)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_POLICY, "AS exchange disabled for this tenant");
        }

        // Gather the client and check the account.
        var user = await ClientNameResolver.ResolveAsync(store, tenant, body.ClientName, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, "client not found");
        }

        if (!user.AccountEnabled)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_CLIENT_REVOKED, "account disabled");
        }

        if (user.OnPremises is null && !policy.CloudOnlyUsersAllowed)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_POLICY, "cloud-only users are not served (Entra Kerberos serves hybrid identities)");
        }

        var clientKey = EtypeNegotiation.ClientKey(body.EncryptionTypes, policy, user.Keys);
        var sessionKeyType = EtypeNegotiation.SessionKeyType(body.EncryptionTypes, policy);
        if (clientKey is null || sessionKeyType is null)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_ETYPE_NOSUPP, "no common encryption type");
        }

        var krbtgtKeys = await store.GetKrbtgtKeysAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
        if (krbtgtKeys.Count == 0)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_NULL_KEY, "tenant has no krbtgt key");
        }

        // Pre-authentication: encrypted timestamp only. PA-FX-FAST, PA-FX-COOKIE, PA-AS-FRESHNESS and
        // PA-REQ-ENC-PA-REP are ignored and never advertised: advertising FAST makes MIT armor every later
        // TGS-REQ, and setting enc-pa-rep would make MIT demand the RFC 6806 checksum.
        var etypeInfo = EtypeInfo(clientKey);
        var timestamp = request.FindPaData(PaDataType.EncTimestamp);
        if (timestamp is null || timestamp.Value.IsEmpty)
        {
            return new ExchangeResult(new Refusal(KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED, "pre-authentication required")
            {
                ErrorData = PaData.EncodeMethodData(
                [
                    new PaData { Type = PaDataType.EncTimestamp, Value = ReadOnlyMemory<byte>.Empty },
                    etypeInfo,
                ]),
            });
        }

        if (VerifyTimestamp(timestamp.Value, user.Keys, policy, now) is { } preauthFailure)
        {
            return new ExchangeResult(preauthFailure);
        }

        // Issue.
        var options = body.Options;
        var till = Lifetimes.Requested(body.Till);
        if (till <= now)
        {
            return Refuse(KerberosErrorCode.KDC_ERR_NEVER_VALID, "requested end time is in the past");
        }

        var renewable = (options & KdcOptions.Renewable) != 0
            || ((options & KdcOptions.RenewableOk) != 0 && till > Lifetimes.After(now, policy.TgtLifetime));
        var canonicalize = (options & KdcOptions.Canonicalize) != 0;
        var flags = TicketFlagRules.GrantAs(options);

        var tgtOptions = new TgtOptions
        {
            // RFC 6806: without canonicalize the reply names the client exactly as asked (MIT checks it).
            ClientName = canonicalize ? ClientNameResolver.Canonical(user) : body.ClientName,
            ClientRealm = canonicalize ? CloudRealm.Name : body.Realm,
            ServerName = canonicalize ? PrincipalName.Krbtgt(CloudRealm.Name) : body.ServerName,
            ServerRealm = canonicalize ? CloudRealm.Name : body.Realm,
            Nonce = body.Nonce,
            Forwardable = (flags & TicketFlags.Forwardable) != 0,
            Renewable = renewable,
            Till = body.Till,
            RenewTill = body.RenewTill ?? ((options & KdcOptions.RenewableOk) != 0 ? body.Till : null),
            PacAttributes = PacAttributes(request),
            SessionKeyTypes = [sessionKeyType.Value],
            ReplyPaData = [etypeInfo],
            ReplyKeyVersion = clientKey.Kvno,
        };

        var issued = await issuer.IssueTgtAsync(tenant, user, clientKey.Key, tgtOptions, krbtgtKeys[0], now, cancellationToken).ConfigureAwait(false);
        return new ExchangeResult(issued.Encode());
    }

    internal static bool IsCloudTgs(PrincipalName? name) =>
        name is { Components.Count: 2 }
        && string.Equals(name.Components[0], "krbtgt", StringComparison.Ordinal)
        && string.Equals(name.Components[1], CloudRealm.Name, StringComparison.OrdinalIgnoreCase);

    private static ExchangeResult Refuse(KerberosErrorCode code, string reason) => new(new Refusal(code, reason));

    private static PaData EtypeInfo(StoredKey key) => new()
    {
        Type = PaDataType.EtypeInfo2,
        Value = EtypeInfo2Entry.EncodeList([new EtypeInfo2Entry { EncryptionType = key.EncryptionType, Salt = key.Salt }]),
    };

    /// <summary>KERB-PA-PAC-REQUEST: asked for, declined, or absent (then given implicitly); garbage counts as absent.</summary>
    private static PacAttributesInfo PacAttributes(AsReq request)
    {
        bool? includePac = null;
        if (request.FindPaData(PaDataType.PacRequest) is { } pa)
        {
            try
            {
                includePac = PaPacRequest.Decode(pa.Value).IncludePac;
            }
            catch (KerberosProtocolException)
            {
                // Unreadable: treated as absent, like a padata type we do not know.
            }
        }

        return new PacAttributesInfo(pacWasRequested: includePac == true, pacWasGivenImplicitly: includePac is null);
    }

    private static Refusal? VerifyTimestamp(ReadOnlyMemory<byte> value, IReadOnlyList<StoredKey> keys, RealmPolicy policy, DateTimeOffset now)
    {
        var encrypted = KerberosAsn1.Decode(value, EncryptedData.Read);
        var key = EtypeNegotiation.ClientKey([encrypted.EncryptionType], policy, keys);
        if (key is null)
        {
            return new Refusal(KerberosErrorCode.KDC_ERR_PREAUTH_FAILED, "pre-authentication used an encryption type not offered");
        }

        PaEncTsEnc timestamp;
        try
        {
            timestamp = PaEncTsEnc.Decode(encrypted.Decrypt(key.Key, KeyUsage.PaEncTimestamp));
        }
        catch (KerberosIntegrityException)
        {
            return new Refusal(KerberosErrorCode.KDC_ERR_PREAUTH_FAILED, "wrong password");
        }

        return Lifetimes.WithinSkew(timestamp.Timestamp, now, policy.MaxClockSkew)
            ? null
            : new Refusal(KerberosErrorCode.KRB_AP_ERR_SKEW, "clock skew too great");
    }
}

/// <summary>Either reply bytes or a refusal; plus the names the outcome log wants.</summary>
internal readonly record struct ExchangeResult(byte[]? Reply, Refusal? Refusal)
{
    public ExchangeResult(byte[] reply)
        : this(reply, null)
    {
    }

    public ExchangeResult(Refusal refusal)
        : this(null, refusal)
    {
    }

    /// <summary>user@REALM once known (a TGS client is known only after its ticket is opened).</summary>
    public string? Client { get; init; }
}
