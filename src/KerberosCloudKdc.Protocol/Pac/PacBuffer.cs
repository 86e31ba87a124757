namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.4: each PAC_INFO_BUFFER points at one typed blob; this is the blob's decoded form.

/// <summary>One buffer of a PAC. Subclasses know their own wire format; <see cref="RawPacBuffer"/> holds the rest.</summary>
public abstract class PacBuffer
{
    public abstract PacBufferType Type { get; }

    /// <summary>The buffer's bytes exactly as they go in the PAC (unpadded; the PAC pads between buffers).</summary>
    public abstract byte[] Encode();
}
