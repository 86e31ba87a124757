using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KRB-CRED        ::= [APPLICATION 22] SEQUENCE {
//         pvno            [0] INTEGER (5),
//         msg-type        [1] INTEGER (22),
//         tickets         [2] SEQUENCE OF Ticket,
//         enc-part        [3] EncryptedData -- EncKrbCredPart
// }

/// <summary>Tickets plus their session keys, for forwarding or export (RFC 4120 §5.8.1); enc-part usage 14.</summary>
public sealed class KrbCred : IAsn1Encodable
{
    public required IReadOnlyList<Ticket> Tickets { get; init; }

    public required EncryptedData EncryptedPart { get; init; }

    public static KrbCred Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbCred Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence((int)MessageType.KrbCred, out var application);
        sequence.ReadHeader(0, MessageType.KrbCred);

        var value = new KrbCred
        {
            Tickets = sequence.ReadExplicit(2, static r => r.ReadSequenceOf(Ticket.Read)),
            EncryptedPart = sequence.ReadExplicit(3, EncryptedData.Read),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication((int)MessageType.KrbCred))
        using (writer.PushSequence())
        {
            writer.WriteHeader(0, MessageType.KrbCred);
            using (writer.PushExplicit(2))
            {
                writer.WriteSequenceOf(Tickets);
            }

            writer.WriteExplicit(3, EncryptedPart);
        }
    }
}
