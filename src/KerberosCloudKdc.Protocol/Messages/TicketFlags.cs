namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>TicketFlags bits (RFC 4120 §5.3, RFC 6806, RFC 6113, MS-KILE). Bit n is 0x80000000 &gt;&gt; n.</summary>
[Flags]
public enum TicketFlags : uint
{
    None = 0,
    Reserved = 0x80000000,
    Forwardable = 0x40000000,
    Forwarded = 0x20000000,
    Proxiable = 0x10000000,
    Proxy = 0x08000000,
    MayPostdate = 0x04000000,
    Postdated = 0x02000000,
    Invalid = 0x01000000,
    Renewable = 0x00800000,
    Initial = 0x00400000,
    PreAuthent = 0x00200000,
    HwAuthent = 0x00100000,
    TransitedPolicyChecked = 0x00080000,
    OkAsDelegate = 0x00040000,
    /// <summary>Bit 15: RFC 6806 §11 enc-pa-rep (the reply carries encrypted-pa-data).</summary>
    EncPaRep = 0x00010000,
    /// <summary>The same bit 15 as Windows' klist names it ("name_canonicalize").</summary>
    NameCanonicalize = EncPaRep,
    /// <summary>Bit 16: RFC 8062 anonymous ticket.</summary>
    Anonymous = 0x00008000,
}
