using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbFastReq ::= SEQUENCE {
//         fast-options [0] FastOptions,
//                 -- Additional options.
//         padata       [1] SEQUENCE OF PA-DATA,
//                 -- padata typed holes.
//         req-body     [2] KDC-REQ-BODY,
//                 -- Contains the KDC request body as defined in
//                 -- Section 5.4.1 of [RFC4120].
//                 -- This req-body field is preferred over the outer
//                 -- field in the KDC request.
//         ...
// }

/// <summary>
/// The inner, armored request (RFC 6113 §5.4.2), carried encrypted in KrbFastArmoredReq.enc-fast-req. Its
/// padata and req-body replace the outer request's (the outer PA-TGS-REQ and PA-FX-FAST aside); the
/// body keeps its received bytes in <see cref="KdcReqBody.Encoded"/> as usual.
/// </summary>
public sealed class KrbFastReq : IAsn1Encodable
{
    public required FastOptions Options { get; init; }

    /// <summary>Required by the ASN.1 but may be empty (MIT sends an empty list in TGS requests).</summary>
    public required IReadOnlyList<PaData> PaData { get; init; }

    public required KdcReqBody Body { get; init; }

    public PaData? FindPaData(PaDataType type) => PaData.FirstOrDefault(p => p.Type == type);

    public static KrbFastReq Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbFastReq Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbFastReq
        {
            Options = (FastOptions)sequence.ReadExplicit(0, static r => r.ReadKerberosFlags()),
            PaData = sequence.ReadExplicit(1, Messages.PaData.ReadList),
            Body = sequence.ReadExplicit(2, KdcReqBody.Read),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitFlags(0, (uint)Options);
            using (writer.PushExplicit(1))
            {
                writer.WriteSequenceOf(PaData);
            }

            writer.WriteExplicit(2, Body);
        }
    }
}
