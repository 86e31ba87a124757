namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.5 KERB_VALIDATION_INFO.UserFlags (bits named by letter in the spec).

/// <summary>The UserFlags bits the KDC layer cares about; other bits are kept as given.</summary>
[Flags]
public enum UserFlags : uint
{
    None = 0,
    /// <summary>"A": the account is a guest.</summary>
    Guest = 0x00000001,
    /// <summary>"D": ExtraSids is populated; consumers ignore ExtraSids without it.</summary>
    ExtraSidsPresent = 0x00000020,
    /// <summary>"H": ResourceGroupDomainSid and ResourceGroupIds are populated.</summary>
    ResourceGroupsPresent = 0x00000200,
}
