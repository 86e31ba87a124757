using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// HostAddress     ::= SEQUENCE  {
//         addr-type       [0] Int32,
//         address         [1] OCTET STRING
// }
// HostAddresses   ::= SEQUENCE OF HostAddress

/// <summary>A network address (RFC 4120 §5.2.5). Type 2 is IPv4, 24 IPv6, 20 NetBIOS.</summary>
public sealed class HostAddress : IAsn1Encodable
{
    public const int IPv4 = 2;
    public const int IPv6 = 24;
    public const int NetBios = 20;

    public required int Type { get; init; }

    public required ReadOnlyMemory<byte> Address { get; init; }

    public static HostAddress Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new HostAddress
        {
            Type = sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Address = sequence.ReadExplicit(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public static IReadOnlyList<HostAddress> ReadList(AsnReader reader) => reader.ReadSequenceOf(Read);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, Type);
            writer.WriteExplicitOctets(1, Address.Span);
        }
    }
}
