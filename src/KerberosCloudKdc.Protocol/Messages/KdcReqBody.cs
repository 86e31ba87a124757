using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// KDC-REQ-BODY    ::= SEQUENCE {
//         kdc-options             [0] KDCOptions,
//         cname                   [1] PrincipalName OPTIONAL -- Used only in AS-REQ --,
//         realm                   [2] Realm -- Server's realm; Also client's in AS-REQ --,
//         sname                   [3] PrincipalName OPTIONAL,
//         from                    [4] KerberosTime OPTIONAL,
//         till                    [5] KerberosTime,
//         rtime                   [6] KerberosTime OPTIONAL,
//         nonce                   [7] UInt32,
//         etype                   [8] SEQUENCE OF Int32 -- EncryptionType -- in preference order --,
//         addresses               [9] HostAddresses OPTIONAL,
//         enc-authorization-data  [10] EncryptedData OPTIONAL -- AuthorizationData --,
//         additional-tickets      [11] SEQUENCE OF Ticket OPTIONAL
// }

/// <summary>
/// The body of an AS-REQ or TGS-REQ (RFC 4120 §5.4.1). When decoded, <see cref="Encoded"/> holds the
/// exact bytes received, because the TGS authenticator checksum covers those bytes, not a re-encoding.
/// </summary>
public sealed class KdcReqBody : IAsn1Encodable
{
    public required KdcOptions Options { get; init; }

    public PrincipalName? ClientName { get; init; }

    public required string Realm { get; init; }

    public PrincipalName? ServerName { get; init; }

    public DateTimeOffset? From { get; init; }

    public required DateTimeOffset Till { get; init; }

    public DateTimeOffset? RenewTill { get; init; }

    public required uint Nonce { get; init; }

    public required IReadOnlyList<EncryptionType> EncryptionTypes { get; init; }

    public IReadOnlyList<HostAddress>? Addresses { get; init; }

    public EncryptedData? EncryptedAuthorizationData { get; init; }

    public IReadOnlyList<Ticket>? AdditionalTickets { get; init; }

    /// <summary>The DER bytes this body was decoded from; empty for a body built in code.</summary>
    public ReadOnlyMemory<byte> Encoded { get; private init; }

    public static KdcReqBody Read(AsnReader reader)
    {
        var encoded = reader.PeekEncodedValue();
        var sequence = reader.ReadSequence();
        var body = new KdcReqBody
        {
            Options = (KdcOptions)sequence.ReadExplicit(0, static r => r.ReadKerberosFlags()),
            ClientName = sequence.ReadOptional(1, PrincipalName.Read),
            Realm = sequence.ReadExplicit(2, static r => r.ReadGeneralString()),
            ServerName = sequence.ReadOptional(3, PrincipalName.Read),
            From = sequence.ReadOptionalValue(4, static r => r.ReadKerberosTime()),
            Till = sequence.ReadExplicit(5, static r => r.ReadKerberosTime()),
            RenewTill = sequence.ReadOptionalValue(6, static r => r.ReadKerberosTime()),
            Nonce = sequence.ReadExplicit(7, static r => r.ReadUInt32Lenient()),
            EncryptionTypes = sequence.ReadExplicit(8, static r => r.ReadSequenceOf(static e => (EncryptionType)e.ReadInt32Value())),
            Addresses = sequence.ReadOptional(9, HostAddress.ReadList),
            EncryptedAuthorizationData = sequence.ReadOptional(10, EncryptedData.Read),
            AdditionalTickets = sequence.ReadOptional(11, static r => r.ReadSequenceOf(Ticket.Read)),
            Encoded = encoded,
        };
        sequence.ThrowIfNotEmpty();
        return body;
    }

    /// <summary>The bytes a checksum over this body must cover: the received bytes, or a fresh encoding.</summary>
    public ReadOnlyMemory<byte> GetChecksumInput() => Encoded.IsEmpty ? KerberosAsn1.Encode(this) : Encoded;

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitFlags(0, (uint)Options);
            if (ClientName is not null)
            {
                writer.WriteExplicit(1, ClientName);
            }

            writer.WriteExplicitGeneralString(2, Realm);
            if (ServerName is not null)
            {
                writer.WriteExplicit(3, ServerName);
            }

            if (From is { } from)
            {
                writer.WriteExplicitKerberosTime(4, from);
            }

            writer.WriteExplicitKerberosTime(5, Till);
            if (RenewTill is { } renewTill)
            {
                writer.WriteExplicitKerberosTime(6, renewTill);
            }

            writer.WriteExplicitUInt32(7, Nonce);
            using (writer.PushExplicit(8))
            using (writer.PushSequence())
            {
                foreach (var etype in EncryptionTypes)
                {
                    writer.WriteInteger((int)etype);
                }
            }

            if (Addresses is not null)
            {
                using (writer.PushExplicit(9))
                {
                    writer.WriteSequenceOf(Addresses);
                }
            }

            if (EncryptedAuthorizationData is not null)
            {
                writer.WriteExplicit(10, EncryptedAuthorizationData);
            }

            if (AdditionalTickets is not null)
            {
                using (writer.PushExplicit(11))
                {
                    writer.WriteSequenceOf(AdditionalTickets);
                }
            }
        }
    }
}
