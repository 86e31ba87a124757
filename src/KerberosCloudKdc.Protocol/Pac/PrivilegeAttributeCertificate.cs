namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.3 PACTYPE: the Privilege Attribute Certificate as carried in AD-WIN2K-PAC (type 128).
// Wrapping in AD-IF-RELEVANT is the ASN.1 layer's job; here the PAC is bytes in, bytes out.

/// <summary>
/// A decoded PAC: its buffers in wire order. Types we interpret appear at most once — two logon
/// infos or two server signatures would leave it ambiguous which one was checked — while unknown
/// types are kept verbatim as <see cref="RawPacBuffer"/>s, repeats included.
/// </summary>
public sealed class PrivilegeAttributeCertificate
{
    private readonly PacBuffer[] buffers;

    public PrivilegeAttributeCertificate(IEnumerable<PacBuffer> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        this.buffers = buffers.ToArray();
        if (FindDuplicateKnownType(this.buffers.Select(b => b.Type)) is { } duplicate)
        {
            throw new ArgumentException($"A PAC may hold only one buffer of type {duplicate}.", nameof(buffers));
        }
    }

    public IReadOnlyList<PacBuffer> Buffers => buffers;

    public KerbValidationInfo? LogonInfo => Find<KerbValidationInfo>();

    public PacClientInfo? ClientInfo => Find<PacClientInfo>();

    public UpnDnsInfo? UpnDnsInfo => Find<UpnDnsInfo>();

    public PacAttributesInfo? AttributesInfo => Find<PacAttributesInfo>();

    public PacRequestor? Requestor => Find<PacRequestor>();

    public PacSignatureData? ServerSignature => FindSignature(PacBufferType.ServerChecksum);

    public PacSignatureData? KdcSignature => FindSignature(PacBufferType.KdcChecksum);

    public PacSignatureData? TicketSignature => FindSignature(PacBufferType.TicketChecksum);

    public PacSignatureData? FullSignature => FindSignature(PacBufferType.FullChecksum);

    public T? Find<T>()
        where T : PacBuffer => buffers.OfType<T>().FirstOrDefault();

    /// <summary>Encodes as is, signatures included. To sign, use <see cref="PacSigner"/> instead.</summary>
    public byte[] Encode() => PacLayout.Encode(buffers).Bytes;

    public static PrivilegeAttributeCertificate Decode(ReadOnlySpan<byte> data)
    {
        var layout = PacLayout.Parse(data);
        var decoded = new PacBuffer[layout.Entries.Count];
        for (var i = 0; i < decoded.Length; i++)
        {
            var entry = layout.Entries[i];
            decoded[i] = DecodeBuffer(entry.Type, data.Slice(entry.Offset, entry.Length));
        }

        return new PrivilegeAttributeCertificate(decoded);
    }

    internal static bool IsInterpreted(PacBufferType type) =>
        type is PacBufferType.LogonInfo or PacBufferType.ClientInfo or PacBufferType.UpnDnsInfo
            or PacBufferType.Attributes or PacBufferType.Requestor
        || PacSignatureData.IsSignatureBuffer(type);

    private static PacBuffer DecodeBuffer(PacBufferType type, ReadOnlySpan<byte> data) => type switch
    {
        PacBufferType.LogonInfo => KerbValidationInfo.Decode(data),
        PacBufferType.ClientInfo => PacClientInfo.Decode(data),
        PacBufferType.UpnDnsInfo => UpnDnsInfo.Decode(data),
        PacBufferType.Attributes => PacAttributesInfo.Decode(data),
        PacBufferType.Requestor => PacRequestor.Decode(data),
        _ when PacSignatureData.IsSignatureBuffer(type) => PacSignatureData.Decode(type, data),
        _ => new RawPacBuffer(type, data),
    };

    private PacSignatureData? FindSignature(PacBufferType type) =>
        buffers.OfType<PacSignatureData>().FirstOrDefault(s => s.Type == type);

    internal static PacBufferType? FindDuplicateKnownType(IEnumerable<PacBufferType> types)
    {
        var seen = new HashSet<PacBufferType>();
        foreach (var type in types.Where(IsInterpreted))
        {
            if (!seen.Add(type))
            {
                return type;
            }
        }

        return null;
    }
}
