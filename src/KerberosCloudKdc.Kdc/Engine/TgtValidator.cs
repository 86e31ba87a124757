using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>A TGT that opened and whose authenticator checked out.</summary>
internal sealed record OpenedTgt(EncTicketPart Ticket, KerberosKey SessionKey, KerberosKey? Subkey, PrivilegeAttributeCertificate? Pac);

/// <summary>
/// Checks the PA-TGS-REQ AP-REQ (RFC 4120 §3.3.2 with MIT's error codes): our TGS's ticket, opened with the
/// tenant krbtgt key of its kvno; an authenticator that names the ticket's client, is fresh, and carries
/// a keyed checksum over the request body as received; a PAC our KDC signed.
/// </summary>
internal static class TgtValidator
{
    public static OpenedTgt? Open(ApReq apReq, KdcReqBody body, IReadOnlyList<StoredKey> krbtgtKeys, RealmPolicy policy, DateTimeOffset now, out Refusal? refusal)
    {
        var ticket = apReq.Ticket;
        if (!AsExchange.IsCloudTgs(ticket.ServerName) || !string.Equals(ticket.Realm, CloudRealm.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_NOT_US, "ticket is not a TGT of " + CloudRealm.Name, out refusal);
        }

        return OpenWith(apReq, body, krbtgtKeys, policy, now, out refusal);
    }

    /// <summary>
    /// A cross-realm referral TGT krbtgt/KERBEROS.MICROSOFTONLINE.COM@<c>ticket.Realm</c> issued by a trusted realm:
    /// opened with the inbound trust keys. Its PAC, when present, must carry a server signature made with the trust
    /// key; the KDC signature is the issuing realm's business (MIT signs it with its own krbtgt key), so it is not checked.
    /// </summary>
    public static OpenedTgt? OpenReferral(ApReq apReq, KdcReqBody body, IReadOnlyList<StoredKey> trustKeys, RealmPolicy policy, DateTimeOffset now, out Refusal? refusal) =>
        OpenWith(apReq, body, trustKeys, policy, now, out refusal, referral: true);

    /// <summary>True for krbtgt/KERBEROS.MICROSOFTONLINE.COM@REALM where REALM is not ours: a referral from another realm.</summary>
    public static bool IsInboundReferral(Ticket ticket) =>
        AsExchange.IsCloudTgs(ticket.ServerName) && !string.Equals(ticket.Realm, CloudRealm.Name, StringComparison.OrdinalIgnoreCase);

    private static OpenedTgt? OpenWith(
        ApReq apReq, KdcReqBody body, IReadOnlyList<StoredKey> keys, RealmPolicy policy, DateTimeOffset now, out Refusal? refusal, bool referral = false)
    {
        refusal = null;
        var ticket = apReq.Ticket;

        // Old krbtgt keys still open the tickets they issued; the kvno says which one.
        var key = FindKey(keys, ticket.EncryptedPart);
        if (key is null)
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_BADKEYVER, referral ? "no trust key of that version and type" : "no krbtgt key of that version", out refusal);
        }

        EncTicketPart part;
        try
        {
            part = EncTicketPart.Decode(ticket.EncryptedPart.Decrypt(key.Key, KeyUsage.TicketEncPart));
        }
        catch (KerberosIntegrityException)
        {
            // Also what a ticket from another tenant gets: its krbtgt key is not ours.
            return Fail(KerberosErrorCode.KRB_AP_ERR_BAD_INTEGRITY, "ticket does not decrypt", out refusal);
        }

        var sessionKey = part.Key.ToKey();
        Authenticator authenticator;
        try
        {
            authenticator = Authenticator.Decode(apReq.Authenticator.Decrypt(sessionKey, KeyUsage.PaTgsReqAuthenticator));
        }
        catch (KerberosIntegrityException)
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_BAD_INTEGRITY, "authenticator does not decrypt", out refusal);
        }

        if (!authenticator.ClientName.Equals(part.ClientName) || !string.Equals(authenticator.ClientRealm, part.ClientRealm, StringComparison.Ordinal))
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_BADMATCH, "authenticator names another client", out refusal);
        }

        if (!Lifetimes.WithinSkew(authenticator.ClientTime, now, policy.MaxClockSkew))
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_SKEW, "clock skew too great", out refusal);
        }

        // MIT's rule: a ticket is usable until endtime plus the allowed skew.
        if (now > Lifetimes.After(part.EndTime, policy.MaxClockSkew))
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_TKT_EXPIRED, "ticket expired", out refusal);
        }

        if ((part.Flags & TicketFlags.Invalid) != 0 || (part.StartTime is { } start && start > Lifetimes.After(now, policy.MaxClockSkew)))
        {
            return Fail(KerberosErrorCode.KRB_AP_ERR_TKT_NYV, "ticket not yet valid", out refusal);
        }

        if (ChecksumProblem(authenticator.Checksum, sessionKey, body) is { } checksumRefusal)
        {
            refusal = checksumRefusal;
            return null;
        }

        PrivilegeAttributeCertificate? pac = null;
        if (AuthorizationData.FindPac(part.AuthorizationData) is { } pacBytes)
        {
            // A PAC that our krbtgt key did not sign is forged (or altered): MIT's KDC answers KRB_AP_ERR_MODIFIED.
            if (!PacIsOurs(pacBytes.Span, key.Key, verifyKdcSignature: !referral))
            {
                return Fail(KerberosErrorCode.KRB_AP_ERR_MODIFIED, "PAC signature invalid", out refusal);
            }

            pac = PrivilegeAttributeCertificate.Decode(pacBytes.Span);
        }

        return new OpenedTgt(part, sessionKey, authenticator.Subkey?.ToKey(), pac);
    }

    private static StoredKey? FindKey(IReadOnlyList<StoredKey> keys, EncryptedData encrypted)
    {
        foreach (var key in keys)
        {
            if (key.EncryptionType == encrypted.EncryptionType && (encrypted.KeyVersion is null || encrypted.KeyVersion == key.Kvno))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>RFC 4120 §7.2.2: the body checksum must be keyed (else anyone could recompute it), of the session key's type, and match.</summary>
    private static Refusal? ChecksumProblem(Checksum? checksum, KerberosKey sessionKey, KdcReqBody body)
    {
        if (checksum is null)
        {
            return new Refusal(KerberosErrorCode.KRB_AP_ERR_INAPP_CKSUM, "authenticator has no checksum");
        }

        if (checksum.Type != KerberosChecksum.ForEncryptionType(sessionKey.EncryptionType))
        {
            return new Refusal(KerberosErrorCode.KRB_AP_ERR_INAPP_CKSUM, "checksum type not keyed for the session key");
        }

        return KerberosChecksum.Verify(checksum.Type, sessionKey, KeyUsage.PaTgsReqChecksum, body.GetChecksumInput().Span, checksum.Value.Span)
            ? null
            : new Refusal(KerberosErrorCode.KRB_AP_ERR_MODIFIED, "request body checksum mismatch");
    }

    private static bool PacIsOurs(ReadOnlySpan<byte> pac, KerberosKey krbtgtKey, bool verifyKdcSignature)
    {
        try
        {
            return PacSigner.VerifyServerSignature(pac, krbtgtKey) && (!verifyKdcSignature || PacSigner.VerifyKdcSignature(pac, krbtgtKey));
        }
        catch (KerberosProtocolException)
        {
            return false;
        }
    }

    private static OpenedTgt? Fail(KerberosErrorCode code, string reason, out Refusal? refusal)
    {
        refusal = new Refusal(code, reason);
        return null;
    }
}
