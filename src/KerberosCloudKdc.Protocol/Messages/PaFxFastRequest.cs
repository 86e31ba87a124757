using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// PA-FX-FAST-REQUEST ::= CHOICE {
//         armored-data [0] KrbFastArmoredReq,
//         ...
// }

/// <summary>
/// The PA-FX-FAST (136) padata-value of a request (RFC 6113 §5.4.2). armored-data is the only alternative
/// defined; an unknown alternative is refused, since a KDC cannot process a FAST request it cannot read.
/// </summary>
public sealed class PaFxFastRequest : IAsn1Encodable
{
    public required KrbFastArmoredReq ArmoredData { get; init; }

    public static PaFxFastRequest Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static PaFxFastRequest Read(AsnReader reader)
    {
        if (!reader.NextIs(0))
        {
            throw new KerberosProtocolException("Unknown PA-FX-FAST-REQUEST alternative.");
        }

        return new PaFxFastRequest { ArmoredData = reader.ReadExplicit(0, KrbFastArmoredReq.Read) };
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    /// <summary>The PA-DATA element (type 136) that carries this request.</summary>
    public PaData ToPaData() => new() { Type = PaDataType.FxFast, Value = Encode() };

    public void WriteTo(AsnWriter writer) => writer.WriteExplicit(0, ArmoredData);
}
