namespace KerberosCloudKdc.Protocol.Pac;

/// <summary>
/// Caps applied when decoding (and encoding) so hostile input cannot make us allocate without
/// bound. Generous relative to what Windows emits: tokens stop working near 1,015 SIDs anyway.
/// </summary>
public static class PacLimits
{
    /// <summary>Largest PAC accepted as a whole.</summary>
    public const int MaxPacBytes = 1024 * 1024;

    /// <summary>Largest cBuffers; Windows PACs carry around ten.</summary>
    public const int MaxBuffers = 64;

    /// <summary>Largest GroupCount, SidCount or ResourceGroupCount.</summary>
    public const int MaxGroups = 1100;

    /// <summary>Longest string in UTF-16 code units (paths may be long; names are far shorter).</summary>
    public const int MaxStringChars = 4096;

    /// <summary>Largest PAC_ATTRIBUTES_INFO FlagsLength, in bits.</summary>
    public const int MaxAttributeFlagBits = 1024;
}
