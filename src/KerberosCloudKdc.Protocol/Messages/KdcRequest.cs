using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KDC-REQ         ::= SEQUENCE {
//         -- NOTE: first tag is [1], not [0]
//         pvno            [1] INTEGER (5) ,
//         msg-type        [2] INTEGER (10 -- AS -- | 12 -- TGS --),
//         padata          [3] SEQUENCE OF PA-DATA OPTIONAL
//                             -- NOTE: not empty --,
//         req-body        [4] KDC-REQ-BODY
// }

/// <summary>The shared shape of AS-REQ and TGS-REQ (RFC 4120 §5.4.1); the subclasses fix the tag.</summary>
public abstract class KdcRequest : IAsn1Encodable
{
    public IReadOnlyList<PaData>? PaData { get; init; }

    public required KdcReqBody Body { get; init; }

    public abstract MessageType MessageType { get; }

    public PaData? FindPaData(PaDataType type) => PaData?.FirstOrDefault(p => p.Type == type);

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication((int)MessageType))
        using (writer.PushSequence())
        {
            writer.WriteHeader(1, MessageType);
            if (PaData is not null)
            {
                using (writer.PushExplicit(3))
                {
                    writer.WriteSequenceOf(PaData);
                }
            }

            writer.WriteExplicit(4, Body);
        }
    }

    private protected static (IReadOnlyList<PaData>? PaData, KdcReqBody Body) ReadParts(AsnReader reader, MessageType expected)
    {
        var sequence = reader.ReadApplicationSequence((int)expected, out var application);
        sequence.ReadHeader(1, expected);

        var paData = sequence.ReadOptional(3, Messages.PaData.ReadList);
        var body = sequence.ReadExplicit(4, KdcReqBody.Read);
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return (paData, body);
    }
}
