using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// EncTicketPart   ::= [APPLICATION 3] SEQUENCE {
//         flags                   [0] TicketFlags,
//         key                     [1] EncryptionKey,
//         crealm                  [2] Realm,
//         cname                   [3] PrincipalName,
//         transited               [4] TransitedEncoding,
//         authtime                [5] KerberosTime,
//         starttime               [6] KerberosTime OPTIONAL,
//         endtime                 [7] KerberosTime,
//         renew-till              [8] KerberosTime OPTIONAL,
//         caddr                   [9] HostAddresses OPTIONAL,
//         authorization-data      [10] AuthorizationData OPTIONAL
// }

/// <summary>The secret half of a ticket (RFC 4120 §5.3), encrypted with the service key, usage 2.</summary>
public sealed class EncTicketPart : IAsn1Encodable
{
    public required TicketFlags Flags { get; init; }

    public required EncryptionKey Key { get; init; }

    public required string ClientRealm { get; init; }

    public required PrincipalName ClientName { get; init; }

    public TransitedEncoding Transited { get; init; } = TransitedEncoding.Empty;

    public required DateTimeOffset AuthTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public DateTimeOffset? RenewTill { get; init; }

    public IReadOnlyList<HostAddress>? Addresses { get; init; }

    public IReadOnlyList<AuthorizationData>? AuthorizationData { get; init; }

    public static EncTicketPart Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static EncTicketPart Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence(ApplicationTag.EncTicketPart, out var application);
        var part = new EncTicketPart
        {
            Flags = (TicketFlags)sequence.ReadExplicit(0, static r => r.ReadKerberosFlags()),
            Key = sequence.ReadExplicit(1, EncryptionKey.Read),
            ClientRealm = sequence.ReadExplicit(2, static r => r.ReadGeneralString()),
            ClientName = sequence.ReadExplicit(3, PrincipalName.Read),
            Transited = sequence.ReadExplicit(4, TransitedEncoding.Read),
            AuthTime = sequence.ReadExplicit(5, static r => r.ReadKerberosTime()),
            StartTime = sequence.ReadOptionalValue(6, static r => r.ReadKerberosTime()),
            EndTime = sequence.ReadExplicit(7, static r => r.ReadKerberosTime()),
            RenewTill = sequence.ReadOptionalValue(8, static r => r.ReadKerberosTime()),
            Addresses = sequence.ReadOptional(9, HostAddress.ReadList),
            AuthorizationData = sequence.ReadOptional(10, Messages.AuthorizationData.ReadList),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return part;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication(ApplicationTag.EncTicketPart))
        using (writer.PushSequence())
        {
            writer.WriteExplicitFlags(0, (uint)Flags);
            writer.WriteExplicit(1, Key);
            writer.WriteExplicitGeneralString(2, ClientRealm);
            writer.WriteExplicit(3, ClientName);
            writer.WriteExplicit(4, Transited);
            writer.WriteExplicitKerberosTime(5, AuthTime);
            if (StartTime is { } start)
            {
                writer.WriteExplicitKerberosTime(6, start);
            }

            writer.WriteExplicitKerberosTime(7, EndTime);
            if (RenewTill is { } renewTill)
            {
                writer.WriteExplicitKerberosTime(8, renewTill);
            }

            if (Addresses is not null)
            {
                using (writer.PushExplicit(9))
                {
                    writer.WriteSequenceOf(Addresses);
                }
            }

            if (AuthorizationData is not null)
            {
                using (writer.PushExplicit(10))
                {
                    writer.WriteSequenceOf(AuthorizationData);
                }
            }
        }
    }
}
