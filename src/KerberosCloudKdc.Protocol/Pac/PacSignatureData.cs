using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.8 PAC_SIGNATURE_DATA: LONG SignatureType; UCHAR Signature[size of that checksum type];
// then USHORT RODCIdentifier only when a read-only DC made the KDC signature. The same layout serves
// the server (6), KDC (7), ticket (16) and full / extended KDC (19) signatures.

/// <summary>One PAC signature buffer: the checksum type and the checksum bytes.</summary>
public sealed class PacSignatureData : PacBuffer
{
    private readonly byte[] signature;

    public PacSignatureData(PacBufferType type, ChecksumType signatureType, ReadOnlySpan<byte> signature, ushort? rodcIdentifier = null)
    {
        if (!IsSignatureBuffer(type))
        {
            throw new ArgumentException("Not a PAC signature buffer type.", nameof(type));
        }

        Type = type;
        SignatureType = signatureType;
        this.signature = signature.ToArray();
        RodcIdentifier = rodcIdentifier;
    }

    public override PacBufferType Type { get; }

    public ChecksumType SignatureType { get; }

    public ReadOnlySpan<byte> Signature => signature;

    /// <summary>Null unless a read-only DC signed; we never emit one but keep it when decoding.</summary>
    public ushort? RodcIdentifier { get; }

    /// <summary>A zero-filled signature of the right size for <paramref name="key"/>: what gets checksummed before signing.</summary>
    public static PacSignatureData Placeholder(PacBufferType type, KerberosKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var checksumType = KerberosChecksum.ForEncryptionType(key.EncryptionType);
        return new PacSignatureData(type, checksumType, new byte[KerberosChecksum.Size(checksumType)]);
    }

    public static bool IsSignatureBuffer(PacBufferType type) =>
        type is PacBufferType.ServerChecksum or PacBufferType.KdcChecksum
            or PacBufferType.TicketChecksum or PacBufferType.FullChecksum;

    /// <summary>Offset of the Signature field within this buffer's bytes.</summary>
    internal const int SignatureOffset = 4;

    public override byte[] Encode()
    {
        var w = new PacWriter();
        w.WriteUInt32((uint)SignatureType);
        w.WriteBytes(signature);
        if (RodcIdentifier is { } rodc)
        {
            w.WriteUInt16(rodc);
        }

        return w.ToArray();
    }

    public static PacSignatureData Decode(PacBufferType type, ReadOnlySpan<byte> data)
    {
        var r = new PacReader(data, "PAC signature");
        var signatureType = (ChecksumType)(int)r.ReadUInt32();
        var size = KnownSize(signatureType) ?? r.Remaining;
        var signature = r.ReadBytes(size);
        ushort? rodc = r.Remaining switch
        {
            0 => null,
            2 => r.ReadUInt16(),
            _ => throw new KerberosProtocolException("PAC signature length does not match its type."),
        };
        return new PacSignatureData(type, signatureType, signature, rodc);
    }

    // Types our crypto layer does not implement (e.g. RC4's HMAC-MD5) cannot be verified anyway,
    // so their whole remainder is taken as the signature.
    private static int? KnownSize(ChecksumType type)
    {
        try
        {
            return KerberosChecksum.Size(type);
        }
        catch (KerberosProtocolException)
        {
            return null;
        }
    }
}
