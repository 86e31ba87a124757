namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>ad-type values (RFC 4120 §7.5.4, RFC 6113, MS-KILE §2.2, MS-PAC §2.4).</summary>
public enum AuthorizationDataType
{
    IfRelevant = 1,
    IntendedForServer = 2,
    IntendedForApplicationClass = 3,
    KdcIssued = 4,
    AndOr = 5,
    MandatoryTicketExtensions = 6,
    InTicketExtensions = 7,
    MandatoryForKdc = 8,
    FxFastArmor = 71,
    FxFastUsed = 72,
    Win2kPac = 128,
    EtypeNegotiation = 129,
    TokenRestrictions = 141,
    LocalData = 142,
    ApOptions = 143,
    TargetPrincipal = 144,
}
