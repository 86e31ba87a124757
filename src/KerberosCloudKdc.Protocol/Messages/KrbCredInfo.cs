using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbCredInfo     ::= SEQUENCE {
//         key             [0] EncryptionKey,
//         prealm          [1] Realm OPTIONAL,
//         pname           [2] PrincipalName OPTIONAL,
//         flags           [3] TicketFlags OPTIONAL,
//         authtime        [4] KerberosTime OPTIONAL,
//         starttime       [5] KerberosTime OPTIONAL,
//         endtime         [6] KerberosTime OPTIONAL,
//         renew-till      [7] KerberosTime OPTIONAL,
//         srealm          [8] Realm OPTIONAL,
//         sname           [9] PrincipalName OPTIONAL,
//         caddr           [10] HostAddresses OPTIONAL
// }

/// <summary>What a KRB-CRED says about one of its tickets (RFC 4120 §5.8.1).</summary>
public sealed class KrbCredInfo : IAsn1Encodable
{
    public required EncryptionKey Key { get; init; }

    public string? ClientRealm { get; init; }

    public PrincipalName? ClientName { get; init; }

    public TicketFlags? Flags { get; init; }

    public DateTimeOffset? AuthTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public DateTimeOffset? RenewTill { get; init; }

    public string? ServerRealm { get; init; }

    public PrincipalName? ServerName { get; init; }

    public IReadOnlyList<HostAddress>? Addresses { get; init; }

    public static KrbCredInfo Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbCredInfo
        {
            Key = sequence.ReadExplicit(0, EncryptionKey.Read),
            ClientRealm = sequence.ReadOptional(1, static r => r.ReadGeneralString()),
            ClientName = sequence.ReadOptional(2, PrincipalName.Read),
            Flags = sequence.ReadOptionalValue(3, static r => (TicketFlags)r.ReadKerberosFlags()),
            AuthTime = sequence.ReadOptionalValue(4, static r => r.ReadKerberosTime()),
            StartTime = sequence.ReadOptionalValue(5, static r => r.ReadKerberosTime()),
            EndTime = sequence.ReadOptionalValue(6, static r => r.ReadKerberosTime()),
            RenewTill = sequence.ReadOptionalValue(7, static r => r.ReadKerberosTime()),
            ServerRealm = sequence.ReadOptional(8, static r => r.ReadGeneralString()),
            ServerName = sequence.ReadOptional(9, PrincipalName.Read),
            Addresses = sequence.ReadOptional(10, HostAddress.ReadList),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicit(0, Key);
            if (ClientRealm is not null)
            {
                writer.WriteExplicitGeneralString(1, ClientRealm);
            }

            if (ClientName is not null)
            {
                writer.WriteExplicit(2, ClientName);
            }

            if (Flags is { } flags)
            {
                writer.WriteExplicitFlags(3, (uint)flags);
            }

            WriteOptionalTime(writer, 4, AuthTime);
            WriteOptionalTime(writer, 5, StartTime);
            WriteOptionalTime(writer, 6, EndTime);
            WriteOptionalTime(writer, 7, RenewTill);
            if (ServerRealm is not null)
            {
                writer.WriteExplicitGeneralString(8, ServerRealm);
            }

            if (ServerName is not null)
            {
                writer.WriteExplicit(9, ServerName);
            }

            if (Addresses is not null)
            {
                using (writer.PushExplicit(10))
                {
                    writer.WriteSequenceOf(Addresses);
                }
            }
        }
    }

    private static void WriteOptionalTime(AsnWriter writer, int tag, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteExplicitKerberosTime(tag, value);
        }
    }
}
