using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// Ticket          ::= [APPLICATION 1] SEQUENCE {
//         tkt-vno         [0] INTEGER (5),
//         realm           [1] Realm,
//         sname           [2] PrincipalName,
//         enc-part        [3] EncryptedData -- EncTicketPart
// }

/// <summary>A ticket as the client carries it (RFC 4120 §5.3); only the service can open enc-part.</summary>
public sealed class Ticket : IAsn1Encodable
{
    public const int Version = 5;

    public required string Realm { get; init; }

    public required PrincipalName ServerName { get; init; }

    public required EncryptedData EncryptedPart { get; init; }

    public static Ticket Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static Ticket Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence(ApplicationTag.Ticket, out var application);
        var version = sequence.ReadExplicit(0, static r => r.ReadInt32Value());
        if (version != Version)
        {
            throw new KerberosProtocolException("Unsupported ticket version.");
        }

        var ticket = new Ticket
        {
            Realm = sequence.ReadExplicit(1, static r => r.ReadGeneralString()),
            ServerName = sequence.ReadExplicit(2, PrincipalName.Read),
            EncryptedPart = sequence.ReadExplicit(3, EncryptedData.Read),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return ticket;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication(ApplicationTag.Ticket))
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, Version);
            writer.WriteExplicitGeneralString(1, Realm);
            writer.WriteExplicit(2, ServerName);
            writer.WriteExplicit(3, EncryptedPart);
        }
    }
}
