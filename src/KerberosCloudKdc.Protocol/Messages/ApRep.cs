using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// AP-REP          ::= [APPLICATION 15] SEQUENCE {
//         pvno            [0] INTEGER (5),
//         msg-type        [1] INTEGER (15),
//         enc-part        [2] EncryptedData -- EncAPRepPart
// }

/// <summary>The service's mutual-authentication answer (RFC 4120 §5.5.2); enc-part uses usage 12.</summary>
public sealed class ApRep : IAsn1Encodable
{
    public required EncryptedData EncryptedPart { get; init; }

    public static ApRep Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static ApRep Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence((int)MessageType.ApRep, out var application);
        sequence.ReadHeader(0, MessageType.ApRep);

        var value = new ApRep { EncryptedPart = sequence.ReadExplicit(2, EncryptedData.Read) };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication((int)MessageType.ApRep))
        using (writer.PushSequence())
        {
            writer.WriteHeader(0, MessageType.ApRep);
            writer.WriteExplicit(2, EncryptedPart);
        }
    }
}
