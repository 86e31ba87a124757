using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// AS-REP          ::= [APPLICATION 11] KDC-REP

/// <summary>The initial ticket reply (RFC 4120 §5.4.2); enc-part uses the client key, usage 3.</summary>
public sealed class AsRep : KdcReply
{
    public override MessageType MessageType => MessageType.AsRep;

    public static AsRep Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static AsRep Read(AsnReader reader)
    {
        var parts = ReadParts(reader, MessageType.AsRep);
        return new AsRep
        {
            PaData = parts.PaData,
            ClientRealm = parts.ClientRealm,
            ClientName = parts.ClientName,
            Ticket = parts.Ticket,
            EncryptedPart = parts.EncryptedPart,
        };
    }
}
