using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// LastReq         ::=     SEQUENCE OF SEQUENCE {
//         lr-type         [0] Int32,
//         lr-value        [1] KerberosTime
// }

/// <summary>One LastReq element (RFC 4120 §5.4.2); KDCs that track nothing send a single type-0 entry.</summary>
public sealed class LastReq : IAsn1Encodable
{
    public required int Type { get; init; }

    public required DateTimeOffset Value { get; init; }

    public static LastReq Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new LastReq
        {
            Type = sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Value = sequence.ReadExplicit(1, static r => r.ReadKerberosTime()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public static IReadOnlyList<LastReq> ReadList(AsnReader reader) => reader.ReadSequenceOf(Read);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, Type);
            writer.WriteExplicitKerberosTime(1, Value);
        }
    }
}
