namespace KerberosCloudKdc.Protocol.Messages;

// FastOptions ::= KerberosFlags
//     -- reserved(0),
//     -- hide-client-names(1),
//     -- kdc-follow-referrals(16)

/// <summary>
/// KrbFastReq fast-options (RFC 6113 §5.4.2). KerberosFlags number bit 0 as the most significant bit,
/// so bit n is 0x80000000 &gt;&gt; n. RFC 6113 makes bits 0–15 critical: a KDC that sees a critical bit
/// it does not understand must fail with KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS; bits 16 and up may be ignored.
/// </summary>
[Flags]
public enum FastOptions : uint
{
    None = 0,
    Reserved = 0x80000000,
    /// <summary>Bit 1: the client asks that its name be hidden in the outer reply and in errors.</summary>
    HideClientNames = 0x40000000,
    /// <summary>Bit 16: the client asks the KDC to follow referrals on its behalf.</summary>
    KdcFollowReferrals = 0x00008000,
    /// <summary>Bits 0–15: the options a KDC must understand or refuse.</summary>
    CriticalMask = 0xFFFF0000,
}
