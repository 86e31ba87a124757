using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// EncryptionKey   ::= SEQUENCE {
//         keytype         [0] Int32 -- actually encryption type --,
//         keyvalue        [1] OCTET STRING
// }

/// <summary>The wire form of a key (RFC 4120 §5.2.9); convert with <see cref="ToKey"/> / <see cref="From"/>.</summary>
public sealed class EncryptionKey : IAsn1Encodable
{
    public required EncryptionType KeyType { get; init; }

    public required ReadOnlyMemory<byte> KeyValue { get; init; }

    public static EncryptionKey From(KerberosKey key) =>
        new() { KeyType = key.EncryptionType, KeyValue = key.Value.ToArray() };

    public KerberosKey ToKey() => new(KeyType, KeyValue.Span);

    public static EncryptionKey Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var key = new EncryptionKey
        {
            KeyType = (EncryptionType)sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            KeyValue = sequence.ReadExplicit(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return key;
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)KeyType);
            writer.WriteExplicitOctets(1, KeyValue.Span);
        }
    }

    /// <summary>Never prints key bytes.</summary>
    public override string ToString() => $"EncryptionKey({KeyType}, {KeyValue.Length} bytes)";
}
