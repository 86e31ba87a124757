using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// EncKrbCredPart  ::= [APPLICATION 29] SEQUENCE {
//         ticket-info     [0] SEQUENCE OF KrbCredInfo,
//         nonce           [1] UInt32 OPTIONAL,
//         timestamp       [2] KerberosTime OPTIONAL,
//         usec            [3] Microseconds OPTIONAL,
//         s-address       [4] HostAddress OPTIONAL,
//         r-address       [5] HostAddress OPTIONAL
// }

/// <summary>The key material of a KRB-CRED (RFC 4120 §5.8.1), one KrbCredInfo per ticket, in order.</summary>
public sealed class EncKrbCredPart : IAsn1Encodable
{
    public required IReadOnlyList<KrbCredInfo> TicketInfo { get; init; }

    public uint? Nonce { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public int? Microseconds { get; init; }

    public HostAddress? SenderAddress { get; init; }

    public HostAddress? RecipientAddress { get; init; }

    public static EncKrbCredPart Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static EncKrbCredPart Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence(ApplicationTag.EncKrbCredPart, out var application);
        var value = new EncKrbCredPart
        {
            TicketInfo = sequence.ReadExplicit(0, static r => r.ReadSequenceOf(KrbCredInfo.Read)),
            Nonce = sequence.ReadOptionalValue(1, static r => r.ReadUInt32Lenient()),
            Timestamp = sequence.ReadOptionalValue(2, static r => r.ReadKerberosTime()),
            Microseconds = sequence.ReadOptionalValue(3, static r => r.ReadMicroseconds()),
            SenderAddress = sequence.ReadOptional(4, HostAddress.Read),
            RecipientAddress = sequence.ReadOptional(5, HostAddress.Read),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication(ApplicationTag.EncKrbCredPart))
        using (writer.PushSequence())
        {
            using (writer.PushExplicit(0))
            {
                writer.WriteSequenceOf(TicketInfo);
            }

            if (Nonce is { } nonce)
            {
                writer.WriteExplicitUInt32(1, nonce);
            }

            if (Timestamp is { } timestamp)
            {
                writer.WriteExplicitKerberosTime(2, timestamp);
            }

            if (Microseconds is { } usec)
            {
                writer.WriteExplicitInt32(3, usec);
            }

            if (SenderAddress is not null)
            {
                writer.WriteExplicit(4, SenderAddress);
            }

            if (RecipientAddress is not null)
            {
                writer.WriteExplicit(5, RecipientAddress);
            }
        }
    }
}
