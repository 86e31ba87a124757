namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.2.1 KERB_SID_AND_ATTRIBUTES: { PISID Sid; ULONG Attributes; }

/// <summary>A full SID (from any domain) with its attributes: the ExtraSids entries.</summary>
public sealed record SidAndAttributes(SecurityIdentifier Sid, GroupAttributes Attributes);
