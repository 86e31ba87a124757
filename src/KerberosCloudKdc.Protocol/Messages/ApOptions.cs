namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>APOptions bits (RFC 4120 §5.5.1). Bit n is 0x80000000 &gt;&gt; n.</summary>
[Flags]
public enum ApOptions : uint
{
    None = 0,
    Reserved = 0x80000000,
    UseSessionKey = 0x40000000,
    MutualRequired = 0x20000000,
}
