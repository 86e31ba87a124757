namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.4 PAC_INFO_BUFFER ulType values.

/// <summary>The ulType of a PAC buffer. Values not listed are still legal and are kept as raw bytes.</summary>
public enum PacBufferType : uint
{
    LogonInfo = 1,
    CredentialsInfo = 2,
    ServerChecksum = 6,
    KdcChecksum = 7,
    ClientInfo = 10,
    ConstrainedDelegationInfo = 11,
    UpnDnsInfo = 12,
    ClientClaimsInfo = 13,
    DeviceInfo = 14,
    DeviceClaimsInfo = 15,
    TicketChecksum = 16,
    Attributes = 17,
    Requestor = 18,
    FullChecksum = 19,
}
