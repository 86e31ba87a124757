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

    /// <summary>Encrypts <paramref name="plaintext"/> for the wire, labelled with the key's etype and the given kvno.</summary>
    public static EncryptedData Encrypt(KerberosKey key, KeyUsage usage, ReadOnlySpan<byte> plaintext, IKerberosRandom random, uint? keyVersion = null) =>
        new()
        {
            EncryptionType = key.EncryptionType,
            KeyVersion = keyVersion,
            Cipher = KerberosEncryption.Encrypt(key, usage, plaintext, random),
        };

    /// <summary>
    /// Decrypts with <paramref name="key"/>; a key of another etype is refused up front, because trying it
    /// would only fail the integrity check and hide the real mismatch.
    /// </summary>
    public byte[] Decrypt(KerberosKey key, KeyUsage usage)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.EncryptionType != EncryptionType)
        {
            throw new KerberosProtocolException("Key type does not match the encrypted data.");
        }

        return KerberosEncryption.Decrypt(key, usage, Cipher.Span);
    }

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
