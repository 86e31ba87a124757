using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// TransitedEncoding       ::= SEQUENCE {
//         tr-type         [0] Int32 -- must be registered --,
//         contents        [1] OCTET STRING
// }

/// <summary>The realms a cross-realm ticket passed through (RFC 4120 §5.3); type 1 is DOMAIN-X500-COMPRESS.</summary>
public sealed class TransitedEncoding : IAsn1Encodable
{
    public const int DomainX500Compress = 1;

    public static TransitedEncoding Empty { get; } = new() { Type = DomainX500Compress, Contents = ReadOnlyMemory<byte>.Empty };

    public required int Type { get; init; }

    public required ReadOnlyMemory<byte> Contents { get; init; }

    public static TransitedEncoding Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new TransitedEncoding
        {
            Type = sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Contents = sequence.ReadExplicit(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, Type);
            writer.WriteExplicitOctets(1, Contents.Span);
        }
    }
}
