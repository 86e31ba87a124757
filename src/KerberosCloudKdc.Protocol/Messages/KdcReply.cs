using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KDC-REP         ::= SEQUENCE {
//         pvno            [0] INTEGER (5),
//         msg-type        [1] INTEGER (11 -- AS -- | 13 -- TGS --),
//         padata          [2] SEQUENCE OF PA-DATA OPTIONAL
//                                 -- NOTE: not empty --,
//         crealm          [3] Realm,
//         cname           [4] PrincipalName,
//         ticket          [5] Ticket,
//         enc-part        [6] EncryptedData
//                                 -- EncASRepPart or EncTGSRepPart,
//                                 -- as appropriate
// }

/// <summary>The shared shape of AS-REP and TGS-REP (RFC 4120 §5.4.2); the subclasses fix the tag.</summary>
public abstract class KdcReply : IAsn1Encodable
{
    public IReadOnlyList<PaData>? PaData { get; init; }

    public required string ClientRealm { get; init; }

    public required PrincipalName ClientName { get; init; }

    public required Ticket Ticket { get; init; }

    public required EncryptedData EncryptedPart { get; init; }

    public abstract MessageType MessageType { get; }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication((int)MessageType))
        using (writer.PushSequence())
        {
            writer.WriteHeader(0, MessageType);
            if (PaData is not null)
            {
                using (writer.PushExplicit(2))
                {
                    writer.WriteSequenceOf(PaData);
                }
            }

            writer.WriteExplicitGeneralString(3, ClientRealm);
            writer.WriteExplicit(4, ClientName);
            writer.WriteExplicit(5, Ticket);
            writer.WriteExplicit(6, EncryptedPart);
        }
    }

    private protected readonly record struct Parts(
        IReadOnlyList<PaData>? PaData, string ClientRealm, PrincipalName ClientName, Ticket Ticket, EncryptedData EncryptedPart);

    private protected static Parts ReadParts(AsnReader reader, MessageType expected)
    {
        var sequence = reader.ReadApplicationSequence((int)expected, out var application);
        sequence.ReadHeader(0, expected);

        var parts = new Parts(
            sequence.ReadOptional(2, Messages.PaData.ReadList),
            sequence.ReadExplicit(3, static r => r.ReadGeneralString()),
            sequence.ReadExplicit(4, PrincipalName.Read),
            sequence.ReadExplicit(5, Ticket.Read),
            sequence.ReadExplicit(6, EncryptedData.Read));
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return parts;
    }
}
