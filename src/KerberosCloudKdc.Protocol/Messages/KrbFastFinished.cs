using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbFastFinished ::= SEQUENCE {
//         timestamp       [0] KerberosTime,
//         usec            [1] Microseconds,
//                 -- timestamp and usec represent the time on the KDC when
//                 -- the reply was generated.
//         crealm          [2] Realm,
//         cname           [3] PrincipalName,
//                 -- Contains the client realm and the client name.
//         ticket-checksum [4] Checksum,
//                 -- checksum of the ticket in the KDC-REP using the armor
//                 -- and the key usage is KEY_USAGE_FAST_FINISHED.
//                 -- The checksum type is the required checksum type
//                 -- of the armor key.
//         ...
// }

/// <summary>
/// Present in a FAST reply that carries a ticket (RFC 6113 §5.4.3): binds the outer, unprotected ticket
/// to the armor key, and carries the authoritative client name (the outer one may be hidden). MIT
/// clients refuse a final FAST reply without it, for TGS as well as AS.
/// </summary>
public sealed class KrbFastFinished : IAsn1Encodable
{
    public required DateTimeOffset Timestamp { get; init; }

    public required int Microseconds { get; init; }

    public required string ClientRealm { get; init; }

    public required PrincipalName ClientName { get; init; }

    public required Checksum TicketChecksum { get; init; }

    /// <summary>The usage-53 checksum of the ticket's DER under the armor key, with the key's mandatory type.</summary>
    public static Checksum ComputeTicketChecksum(KerberosKey armorKey, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(armorKey);
        ArgumentNullException.ThrowIfNull(ticket);
        var type = KerberosChecksum.ForEncryptionType(armorKey.EncryptionType);
        return new Checksum { Type = type, Value = KerberosChecksum.Compute(type, armorKey, KeyUsage.FastFinished, ticket.Encode()) };
    }

    /// <summary>
    /// Checks ticket-checksum against the outer reply's ticket. The ticket is re-encoded, which is exact
    /// for DER input (our decoders keep every field); MIT's client checks it the same way.
    /// </summary>
    public bool VerifyTicketChecksum(KerberosKey armorKey, Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return KerberosChecksum.Verify(TicketChecksum.Type, armorKey, KeyUsage.FastFinished, ticket.Encode(), TicketChecksum.Value.Span);
    }

    public static KrbFastFinished Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbFastFinished Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbFastFinished
        {
            Timestamp = sequence.ReadExplicit(0, static r => r.ReadKerberosTime()),
            Microseconds = sequence.ReadExplicit(1, static r => r.ReadMicroseconds()),
            ClientRealm = sequence.ReadExplicit(2, static r => r.ReadGeneralString()),
            ClientName = sequence.ReadExplicit(3, PrincipalName.Read),
            TicketChecksum = sequence.ReadExplicit(4, Checksum.Read),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitKerberosTime(0, Timestamp);
            writer.WriteExplicitInt32(1, Microseconds);
            writer.WriteExplicitGeneralString(2, ClientRealm);
            writer.WriteExplicit(3, ClientName);
            writer.WriteExplicit(4, TicketChecksum);
        }
    }
}
