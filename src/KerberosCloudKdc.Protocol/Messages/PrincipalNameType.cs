namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>Principal name types (RFC 4120 §6.2, RFC 6111, MS-KILE §2.2).</summary>
public enum PrincipalNameType
{
    Unknown = 0,
    Principal = 1,
    ServiceInstance = 2,
    ServiceHost = 3,
    Uid = 5,
    X500Principal = 6,
    SmtpName = 7,
    Enterprise = 10,
    WellKnown = 11,
    MsPrincipal = -128,
    MsPrincipalAndId = -129,
    EntPrincipalAndId = -130,
}
