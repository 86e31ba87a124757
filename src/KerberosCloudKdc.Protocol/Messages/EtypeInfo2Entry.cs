using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// ETYPE-INFO2-ENTRY       ::= SEQUENCE {
//         etype           [0] Int32,
//         salt            [1] KerberosString OPTIONAL,
//         s2kparams       [2] OCTET STRING OPTIONAL
// }
// ETYPE-INFO2             ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY

/// <summary>Tells the client how to turn its password into a key (RFC 4120 §5.2.7.5).</summary>
public sealed class EtypeInfo2Entry : IAsn1Encodable
{
    public required EncryptionType EncryptionType { get; init; }

    public string? Salt { get; init; }

    public ReadOnlyMemory<byte>? S2kParams { get; init; }

    public static EtypeInfo2Entry Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new EtypeInfo2Entry
        {
            EncryptionType = (EncryptionType)sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Salt = sequence.ReadOptional(1, static r => r.ReadGeneralString()),
            S2kParams = sequence.ReadOptionalValue(2, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>Decodes a PA-ETYPE-INFO2 value; an empty list is refused as the RFC's SIZE (1..MAX) requires.</summary>
    public static IReadOnlyList<EtypeInfo2Entry> DecodeList(ReadOnlyMemory<byte> encoded)
    {
        var entries = KerberosAsn1.Decode(encoded, static r => r.ReadSequenceOf(Read));
        return entries.Count == 0 ? throw new KerberosProtocolException("ETYPE-INFO2 is empty.") : entries;
    }

    public static byte[] EncodeList(IEnumerable<EtypeInfo2Entry> entries)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.WriteSequenceOf(entries);
        return writer.Encode();
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)EncryptionType);
            if (Salt is not null)
            {
                writer.WriteExplicitGeneralString(1, Salt);
            }

            if (S2kParams is { } parameters)
            {
                writer.WriteExplicitOctets(2, parameters.Span);
            }
        }
    }
}
