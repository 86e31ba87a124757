using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// PA-DATA         ::= SEQUENCE {
//         -- NOTE: first tag is [1], not [0]
//         padata-type     [1] Int32,
//         padata-value    [2] OCTET STRING -- might be encoded AP-REQ
// }
// METHOD-DATA     ::= SEQUENCE OF PA-DATA

/// <summary>One pre-authentication element (RFC 4120 §5.2.7); the value stays opaque until a handler reads it.</summary>
public sealed class PaData : IAsn1Encodable
{
    public required PaDataType Type { get; init; }

    public required ReadOnlyMemory<byte> Value { get; init; }

    public static PaData Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new PaData
        {
            Type = (PaDataType)sequence.ReadExplicit(1, static r => r.ReadInt32Value()),
            Value = sequence.ReadExplicit(2, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public static IReadOnlyList<PaData> ReadList(AsnReader reader) => reader.ReadSequenceOf(Read);

    /// <summary>METHOD-DATA as it appears in a KRB-ERROR's e-data.</summary>
    public static IReadOnlyList<PaData> DecodeMethodData(ReadOnlyMemory<byte> encoded) =>
        KerberosAsn1.Decode(encoded, ReadList);

    public static byte[] EncodeMethodData(IEnumerable<PaData> items)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.WriteSequenceOf(items);
        return writer.Encode();
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(1, (int)Type);
            writer.WriteExplicitOctets(2, Value.Span);
        }
    }
}
