namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.2.2 / MS-DTYP §2.5.1 (TOKEN_GROUPS attributes, SE_GROUP_*).

/// <summary>Attributes carried with every group RID and extra SID in a PAC.</summary>
[Flags]
public enum GroupAttributes : uint
{
    None = 0,
    Mandatory = 0x00000001,
    EnabledByDefault = 0x00000002,
    Enabled = 0x00000004,
    Owner = 0x00000008,
    UseForDenyOnly = 0x00000010,
    Integrity = 0x00000020,
    IntegrityEnabled = 0x00000040,
    Resource = 0x20000000,
    LogonId = 0xC0000000,

    /// <summary>What Windows KDCs put on ordinary group memberships (7).</summary>
    DefaultGroup = Mandatory | EnabledByDefault | Enabled,
}
