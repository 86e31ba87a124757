using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KERB-PA-PAC-REQUEST ::= SEQUENCE {
//         include-pac     [0] BOOLEAN -- if TRUE, and no pac present, include PAC.
//                                     -- If FALSE, and PAC present, remove PAC.
// }

/// <summary>The client's wish for a PAC in its TGT (MS-KILE §2.2.3), padata type 128.</summary>
public sealed class PaPacRequest : IAsn1Encodable
{
    public required bool IncludePac { get; init; }

    public static PaPacRequest Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static PaPacRequest Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new PaPacRequest { IncludePac = sequence.ReadExplicit(0, static r => r.ReadBoolean()) };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public PaData ToPaData() => new() { Type = PaDataType.PacRequest, Value = Encode() };

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        using (writer.PushExplicit(0))
        {
            writer.WriteBoolean(IncludePac);
        }
    }
}
