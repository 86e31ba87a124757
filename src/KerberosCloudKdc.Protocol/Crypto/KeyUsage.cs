namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>Key usage numbers (RFC 4120 §7.5.1, RFC 4556, RFC 6113, MS-KILE, MS-PAC).</summary>
/// <remarks>Each usage derives distinct keys (RFC 3961 §5), so a ciphertext made for one purpose cannot be replayed as another.</remarks>
public enum KeyUsage
{
    /// <summary>AS-REQ PA-ENC-TIMESTAMP, encrypted with the client key.</summary>
    PaEncTimestamp = 1,
    /// <summary>Ticket enc-part (EncTicketPart), encrypted with the service key.</summary>
    TicketEncPart = 2,
    /// <summary>AS-REP enc-part, encrypted with the client key.</summary>
    AsRepEncPart = 3,
    /// <summary>TGS-REQ KDC-REQ-BODY AuthorizationData, encrypted with the TGS session key.</summary>
    TgsReqAuthDataSessionKey = 4,
    /// <summary>TGS-REQ KDC-REQ-BODY AuthorizationData, encrypted with the authenticator subkey.</summary>
    TgsReqAuthDataSubkey = 5,
    /// <summary>TGS-REQ PA-TGS-REQ authenticator checksum over the request body.</summary>
    PaTgsReqChecksum = 6,
    /// <summary>TGS-REQ PA-TGS-REQ authenticator, encrypted with the TGS session key.</summary>
    PaTgsReqAuthenticator = 7,
    /// <summary>TGS-REP enc-part, encrypted with the TGS session key.</summary>
    TgsRepEncPartSessionKey = 8,
    /// <summary>TGS-REP enc-part, encrypted with the authenticator subkey.</summary>
    TgsRepEncPartSubkey = 9,
    /// <summary>AP-REQ authenticator checksum.</summary>
    ApReqAuthenticatorChecksum = 10,
    /// <summary>AP-REQ authenticator, encrypted with the application session key.</summary>
    ApReqAuthenticator = 11,
    /// <summary>AP-REP enc-part, encrypted with the application session key.</summary>
    ApRepEncPart = 12,
    KrbPrivEncPart = 13,
    KrbCredEncPart = 14,
    KrbSafeChecksum = 15,
    /// <summary>MS-PAC server, KDC, ticket and full signatures (KERB_NON_KERB_CKSUM_SALT).</summary>
    PacChecksum = 17,
    AdKdcIssuedChecksum = 19,
    GssAcceptorSeal = 22,
    GssAcceptorSign = 23,
    GssInitiatorSeal = 24,
    GssInitiatorSign = 25,
    /// <summary>KRB-SAFE-style checksum in KERB-KEY-LIST and similar MS-KILE uses.</summary>
    KeyListChecksum = 26,
    /// <summary>RFC 6113 FAST armor / PA-FX-FAST request checksum.</summary>
    FastRequestChecksum = 50,
    FastEncrypted = 51,
    FastReply = 52,
    FastFinished = 53,
    EncChallengeClient = 54,
    EncChallengeKdc = 55,
    /// <summary>RFC 6806 §11: PA-REQ-ENC-PA-REP checksum of the AS-REQ.</summary>
    AsReq = 56,
}
