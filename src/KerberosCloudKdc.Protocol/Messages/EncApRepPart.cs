using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// EncAPRepPart    ::= [APPLICATION 27] SEQUENCE {
//         ctime           [0] KerberosTime,
//         cusec           [1] Microseconds,
//         subkey          [2] EncryptionKey OPTIONAL,
//         seq-number      [3] UInt32 OPTIONAL
// }

/// <summary>The plaintext of an AP-REP (RFC 4120 §5.5.2): the client's own time echoed back.</summary>
public sealed class EncApRepPart : IAsn1Encodable
{
    public required DateTimeOffset ClientTime { get; init; }

    public required int ClientMicroseconds { get; init; }

    public EncryptionKey? Subkey { get; init; }

    public uint? SequenceNumber { get; init; }

    public static EncApRepPart Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static EncApRepPart Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence(ApplicationTag.EncApRepPart, out var application);
        var value = new EncApRepPart
        {
            ClientTime = sequence.ReadExplicit(0, static r => r.ReadKerberosTime()),
            ClientMicroseconds = sequence.ReadExplicit(1, static r => r.ReadMicroseconds()),
            Subkey = sequence.ReadOptional(2, EncryptionKey.Read),
            SequenceNumber = sequence.ReadOptionalValue(3, static r => r.ReadUInt32Lenient()),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication(ApplicationTag.EncApRepPart))
        using (writer.PushSequence())
        {
            writer.WriteExplicitKerberosTime(0, ClientTime);
            writer.WriteExplicitInt32(1, ClientMicroseconds);
            if (Subkey is not null)
            {
                writer.WriteExplicit(2, Subkey);
            }

            if (SequenceNumber is { } sequenceNumber)
            {
                writer.WriteExplicitUInt32(3, sequenceNumber);
            }
        }
    }
}
