using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// Checksum        ::= SEQUENCE {
//         cksumtype       [0] Int32,
//         checksum        [1] OCTET STRING
// }

/// <summary>A typed checksum value (RFC 4120 §5.2.9).</summary>
public sealed class Checksum : IAsn1Encodable
{
    public required ChecksumType Type { get; init; }

    public required ReadOnlyMemory<byte> Value { get; init; }

    public static Checksum Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var checksum = new Checksum
        {
            Type = (ChecksumType)sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Value = sequence.ReadExplicit(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return checksum;
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)Type);
            writer.WriteExplicitOctets(1, Value.Span);
        }
    }
}
