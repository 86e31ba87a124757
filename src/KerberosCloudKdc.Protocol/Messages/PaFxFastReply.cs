using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// PA-FX-FAST-REPLY ::= CHOICE {
//         armored-data [0] KrbFastArmoredRep,
//         ...
// }

/// <summary>
/// The PA-FX-FAST (136) padata-value of a reply or KRB-ERROR (RFC 6113 §5.4.3). armored-data is the only
/// alternative defined; anything else is refused, since a client cannot trust a reply it cannot open.
/// A PA-FX-FAST with an empty value is not a reply at all: it is how a KDC advertises FAST support in
/// a KRB-ERROR's METHOD-DATA (MIT krb5kdc does this in PREAUTH_REQUIRED), so check for emptiness first.
/// </summary>
public sealed class PaFxFastReply : IAsn1Encodable
{
    public required KrbFastArmoredRep ArmoredData { get; init; }

    public static PaFxFastReply Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static PaFxFastReply Read(AsnReader reader)
    {
        if (!reader.NextIs(0))
        {
            throw new KerberosProtocolException("Unknown PA-FX-FAST-REPLY alternative.");
        }

        return new PaFxFastReply { ArmoredData = reader.ReadExplicit(0, KrbFastArmoredRep.Read) };
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    /// <summary>The PA-DATA element (type 136) that carries this reply.</summary>
    public PaData ToPaData() => new() { Type = PaDataType.FxFast, Value = Encode() };

    public void WriteTo(AsnWriter writer) => writer.WriteExplicit(0, ArmoredData);
}
