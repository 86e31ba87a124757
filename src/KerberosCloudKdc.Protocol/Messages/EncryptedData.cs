using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// EncryptedData   ::= SEQUENCE {
//         etype   [0] Int32 -- EncryptionType --,
//         kvno    [1] UInt32 OPTIONAL,
//         cipher  [2] OCTET STRING -- ciphertext
// }

/// <summary>An encrypted field with the etype and key version needed to pick the key (RFC 4120 §5.2.9).</summary>
public sealed class EncryptedData : IAsn1Encodable
{
    public required EncryptionType EncryptionType { get; init; }

    public uint? KeyVersion { get; init; }

    public required ReadOnlyMemory<byte> Cipher { get; init; }

    public static EncryptedData Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var data = new EncryptedData
        {
            EncryptionType = (EncryptionType)sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            KeyVersion = sequence.ReadOptionalValue(1, static r => r.ReadUInt32Lenient()),
            Cipher = sequence.ReadExplicit(2, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return data;
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)EncryptionType);
            if (KeyVersion is { } kvno)
            {
                writer.WriteExplicitUInt32(1, kvno);
            }

            writer.WriteExplicitOctets(2, Cipher.Span);
        }
    }
}
