using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// TGS-REP         ::= [APPLICATION 13] KDC-REP

/// <summary>The service ticket reply (RFC 4120 §5.4.2); enc-part uses the TGT session key (usage 8) or the subkey (usage 9).</summary>
public sealed class TgsRep : KdcReply
{
    public override MessageType MessageType => MessageType.TgsRep;

    public static TgsRep Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static TgsRep Read(AsnReader reader)
    {
        var parts = ReadParts(reader, MessageType.TgsRep);
        return new TgsRep
        {
            PaData = parts.PaData,
            ClientRealm = parts.ClientRealm,
            ClientName = parts.ClientName,
            Ticket = parts.Ticket,
            EncryptedPart = parts.EncryptedPart,
        };
    }
}
