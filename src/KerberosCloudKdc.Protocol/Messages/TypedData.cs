using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// TYPED-DATA      ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
//         data-type       [0] Int32,
//         data-value      [1] OCTET STRING OPTIONAL
// }

/// <summary>One TYPED-DATA element (RFC 4120 §5.9.1), the e-data form for errors other than pre-auth ones.</summary>
public sealed class TypedData : IAsn1Encodable
{
    public required int Type { get; init; }

    public ReadOnlyMemory<byte>? Value { get; init; }

    public static TypedData Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new TypedData
        {
            Type = sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Value = sequence.ReadOptionalValue(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public static IReadOnlyList<TypedData> DecodeList(ReadOnlyMemory<byte> encoded)
    {
        var items = KerberosAsn1.Decode(encoded, static r => r.ReadSequenceOf(Read));
        return items.Count == 0 ? throw new KerberosProtocolException("TYPED-DATA is empty.") : items;
    }

    public static byte[] EncodeList(IEnumerable<TypedData> items)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.WriteSequenceOf(items);
        return writer.Encode();
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, Type);
            if (Value is { } value)
            {
                writer.WriteExplicitOctets(1, value.Span);
            }
        }
    }
}
