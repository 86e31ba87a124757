namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>
/// KDCOptions bits (RFC 4120 §5.4.1, RFC 6806, MS-SFU). KerberosFlags number bit 0 as the most
/// significant bit, so bit n is 0x80000000 &gt;&gt; n.
/// </summary>
[Flags]
public enum KdcOptions : uint
{
    None = 0,
    Reserved = 0x80000000,
    Forwardable = 0x40000000,
    Forwarded = 0x20000000,
    Proxiable = 0x10000000,
    Proxy = 0x08000000,
    AllowPostdate = 0x04000000,
    Postdated = 0x02000000,
    Renewable = 0x00800000,
    OptHardwareAuth = 0x00100000,
    /// <summary>Bit 14: MS-SFU cname-in-addl-tkt (S4U2proxy: the client name comes from the additional ticket).</summary>
    CnameInAdditionalTicket = 0x00020000,
    /// <summary>Bit 15: RFC 6806 name canonicalisation.</summary>
    Canonicalize = 0x00010000,
    /// <summary>Bit 16: RFC 8062 request-anonymous.</summary>
    RequestAnonymous = 0x00008000,
    DisableTransitedCheck = 0x00000020,
    RenewableOk = 0x00000010,
    EncTicketInSessionKey = 0x00000008,
    Renew = 0x00000002,
    Validate = 0x00000001,
}
