using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// AP-REQ          ::= [APPLICATION 14] SEQUENCE {
//         pvno            [0] INTEGER (5),
//         msg-type        [1] INTEGER (14),
//         ap-options      [2] APOptions,
//         ticket          [3] Ticket,
//         authenticator   [4] EncryptedData -- Authenticator
// }

/// <summary>A ticket plus proof of its session key (RFC 4120 §5.5.1); also the PA-TGS-REQ payload.</summary>
public sealed class ApReq : IAsn1Encodable
{
    public ApOptions Options { get; init; }

    public required Ticket Ticket { get; init; }

    public required EncryptedData Authenticator { get; init; }

    public static ApReq Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static ApReq Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence((int)MessageType.ApReq, out var application);
        sequence.ReadHeader(0, MessageType.ApReq);

        var value = new ApReq
        {
            Options = (ApOptions)sequence.ReadExplicit(2, static r => r.ReadKerberosFlags()),
            Ticket = sequence.ReadExplicit(3, Ticket.Read),
            Authenticator = sequence.ReadExplicit(4, EncryptedData.Read),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication((int)MessageType.ApReq))
        using (writer.PushSequence())
        {
            writer.WriteHeader(0, MessageType.ApReq);
            writer.WriteExplicitFlags(2, (uint)Options);
            writer.WriteExplicit(3, Ticket);
            writer.WriteExplicit(4, Authenticator);
        }
    }
}
