namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>padata-type values (RFC 4120 §7.5.2, RFC 4556, RFC 6113, RFC 6806, MS-KILE §2.2, MS-SFU).</summary>
public enum PaDataType
{
    None = 0,
    TgsReq = 1,
    EncTimestamp = 2,
    PwSalt = 3,
    EtypeInfo = 11,
    PkAsReqOld = 14,
    PkAsRepOld = 15,
    PkAsReq = 16,
    PkAsRep = 17,
    EtypeInfo2 = 19,
    SvrReferralInfo = 20,
    PacRequest = 128,
    ForUser = 129,
    S4uX509User = 130,
    AsChecksum = 132,
    FxCookie = 133,
    FxFast = 136,
    FxError = 137,
    EncryptedChallenge = 138,
    KerbKeyListReq = 161,
    KerbKeyListRep = 162,
    SupportedEtypes = 165,
    ExtendedError = 166,
    PacOptions = 167,
    ReqEncPaRep = 149,
    AsFreshness = 150,
}
