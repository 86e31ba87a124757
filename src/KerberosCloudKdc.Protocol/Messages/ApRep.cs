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
    public const int ProtocolVersion = 5;

    public required EncryptedData EncryptedPart { get; init; }

    public static ApRep Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static ApRep Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence((int)MessageType.ApRep, out var application);
        if (sequence.ReadExplicit(0, static r => r.ReadInt32Value()) != ProtocolVersion)
        {
            throw new KerberosProtocolException("Unsupported protocol version.");
        }

        if (sequence.ReadExplicit(1, static r => r.ReadInt32Value()) != (int)MessageType.ApRep)
        {
            throw new KerberosProtocolException("Message type does not match its tag.");
        }

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
            writer.WriteExplicitInt32(0, ProtocolVersion);
            writer.WriteExplicitInt32(1, (int)MessageType.ApRep);
            writer.WriteExplicit(2, EncryptedPart);
        }
    }
}
