namespace KerberosCloudKdc.Protocol.Files;

/// <summary>One header field of a version 4 credential cache, kept raw so unknown tags survive a rewrite.</summary>
public readonly record struct CredentialCacheTag(ushort Tag, ReadOnlyMemory<byte> Value)
{
    /// <summary>The KDC's clock offset: seconds then microseconds, both signed 32-bit.</summary>
    public const ushort KdcTimeOffset = 1;
}
