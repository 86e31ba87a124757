using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// AuthorizationData       ::= SEQUENCE OF SEQUENCE {
//         ad-type         [0] Int32,
//         ad-data         [1] OCTET STRING
// }
// AD-IF-RELEVANT          ::= AuthorizationData

/// <summary>
/// One AuthorizationData element (RFC 4120 §5.2.6). Containers such as AD-IF-RELEVANT hold a nested
/// AuthorizationData in <see cref="Data"/>; it is decoded only on request, one level at a time, so
/// hostile nesting cannot recurse.
/// </summary>
public sealed class AuthorizationData : IAsn1Encodable
{
    public required AuthorizationDataType Type { get; init; }

    public required ReadOnlyMemory<byte> Data { get; init; }

    public static AuthorizationData Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new AuthorizationData
        {
            Type = (AuthorizationDataType)sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Data = sequence.ReadExplicit(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public static IReadOnlyList<AuthorizationData> ReadList(AsnReader reader) => reader.ReadSequenceOf(Read);

    public static IReadOnlyList<AuthorizationData> DecodeList(ReadOnlyMemory<byte> encoded) =>
        KerberosAsn1.Decode(encoded, ReadList);

    public static byte[] EncodeList(IEnumerable<AuthorizationData> elements)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.WriteSequenceOf(elements);
        return writer.Encode();
    }

    /// <summary>AD-IF-RELEVANT wrapping the given elements.</summary>
    public static AuthorizationData IfRelevant(params AuthorizationData[] elements) =>
        new() { Type = AuthorizationDataType.IfRelevant, Data = EncodeList(elements) };

    /// <summary>The MS-PAC placement: AD-IF-RELEVANT { AD-WIN2K-PAC pac }.</summary>
    public static AuthorizationData WrapPac(ReadOnlyMemory<byte> pac) =>
        IfRelevant(new AuthorizationData { Type = AuthorizationDataType.Win2kPac, Data = pac });

    /// <summary>Finds the PAC in a ticket's authorization data (inside AD-IF-RELEVANT, MS-PAC §2.1), or null.</summary>
    public static ReadOnlyMemory<byte>? FindPac(IEnumerable<AuthorizationData>? elements)
    {
        if (elements is null)
        {
            return null;
        }

        foreach (var element in elements)
        {
            if (element.Type != AuthorizationDataType.IfRelevant)
            {
                continue;
            }

            foreach (var inner in DecodeList(element.Data))
            {
                if (inner.Type == AuthorizationDataType.Win2kPac)
                {
                    return inner.Data;
                }
            }
        }

        return null;
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)Type);
            writer.WriteExplicitOctets(1, Data.Span);
        }
    }
}
