namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.2.2 GROUP_MEMBERSHIP: { ULONG RelativeId; ULONG Attributes; }

/// <summary>A group RID relative to the logon (or resource) domain SID, with its attributes.</summary>
public readonly record struct GroupMembership(uint RelativeId, GroupAttributes Attributes);
