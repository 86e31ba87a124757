namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.4: readers must skip buffer types they do not understand; we keep them verbatim.

/// <summary>A buffer whose type we do not interpret (credentials, claims, delegation, ...), kept byte-for-byte.</summary>
public sealed class RawPacBuffer : PacBuffer
{
    private readonly byte[] data;

    public RawPacBuffer(PacBufferType type, ReadOnlySpan<byte> data)
    {
        Type = type;
        this.data = data.ToArray();
    }

    public override PacBufferType Type { get; }

    public ReadOnlySpan<byte> Data => data;

    public override byte[] Encode() => data.ToArray();
}
