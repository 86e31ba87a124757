using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// EncASRepPart    ::= [APPLICATION 25] EncKDCRepPart
// EncTGSRepPart   ::= [APPLICATION 26] EncKDCRepPart
// EncKDCRepPart   ::= SEQUENCE {
//         key             [0] EncryptionKey,
//         last-req        [1] LastReq,
//         nonce           [2] UInt32,
//         key-expiration  [3] KerberosTime OPTIONAL,
//         flags           [4] TicketFlags,
//         authtime        [5] KerberosTime,
//         starttime       [6] KerberosTime OPTIONAL,
//         endtime         [7] KerberosTime,
//         renew-till      [8] KerberosTime OPTIONAL,
//         srealm          [9] Realm,
//         sname           [10] PrincipalName,
//         caddr           [11] HostAddresses OPTIONAL,
//         encrypted-pa-data [12] SEQUENCE OF PA-DATA OPTIONAL -- RFC 6806 §11
// }

/// <summary>
/// The encrypted part of AS-REP and TGS-REP (RFC 4120 §5.4.2). One class serves both because only the
/// application tag differs; <see cref="ApplicationTag"/> records which was used so a decoded part
/// re-encodes byte for byte (some KDCs send the TGS tag in AS replies, and MIT accepts either).
/// </summary>
public sealed class EncKdcRepPart : IAsn1Encodable
{
    public int ApplicationTag { get; init; } = Messages.ApplicationTag.EncAsRepPart;

    public required EncryptionKey Key { get; init; }

    public required IReadOnlyList<LastReq> LastRequests { get; init; }

    public required uint Nonce { get; init; }

    public DateTimeOffset? KeyExpiration { get; init; }

    public required TicketFlags Flags { get; init; }

    public required DateTimeOffset AuthTime { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public DateTimeOffset? RenewTill { get; init; }

    public required string ServerRealm { get; init; }

    public required PrincipalName ServerName { get; init; }

    public IReadOnlyList<HostAddress>? Addresses { get; init; }

    public IReadOnlyList<PaData>? EncryptedPaData { get; init; }

    /// <summary>Decodes either tag; callers that care compare <see cref="ApplicationTag"/>.</summary>
    public static EncKdcRepPart Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static EncKdcRepPart Read(AsnReader reader)
    {
        var tag = reader.PeekTag();
        var applicationTag = tag.TagClass == TagClass.Application && tag.TagValue is Messages.ApplicationTag.EncAsRepPart or Messages.ApplicationTag.EncTgsRepPart
            ? tag.TagValue
            : throw new KerberosProtocolException("Expected EncASRepPart or EncTGSRepPart.");
        var sequence = reader.ReadApplicationSequence(applicationTag, out var application);
        var part = new EncKdcRepPart
        {
            ApplicationTag = applicationTag,
            Key = sequence.ReadExplicit(0, EncryptionKey.Read),
            LastRequests = sequence.ReadExplicit(1, LastReq.ReadList),
            Nonce = sequence.ReadExplicit(2, static r => r.ReadUInt32Lenient()),
            KeyExpiration = sequence.ReadOptionalValue(3, static r => r.ReadKerberosTime()),
            Flags = (TicketFlags)sequence.ReadExplicit(4, static r => r.ReadKerberosFlags()),
            AuthTime = sequence.ReadExplicit(5, static r => r.ReadKerberosTime()),
            StartTime = sequence.ReadOptionalValue(6, static r => r.ReadKerberosTime()),
            EndTime = sequence.ReadExplicit(7, static r => r.ReadKerberosTime()),
            RenewTill = sequence.ReadOptionalValue(8, static r => r.ReadKerberosTime()),
            ServerRealm = sequence.ReadExplicit(9, static r => r.ReadGeneralString()),
            ServerName = sequence.ReadExplicit(10, PrincipalName.Read),
            Addresses = sequence.ReadOptional(11, HostAddress.ReadList),
            EncryptedPaData = sequence.ReadOptional(12, PaData.ReadList),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return part;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication(ApplicationTag))
        using (writer.PushSequence())
        {
            writer.WriteExplicit(0, Key);
            using (writer.PushExplicit(1))
            {
                writer.WriteSequenceOf(LastRequests);
            }

            writer.WriteExplicitUInt32(2, Nonce);
            if (KeyExpiration is { } keyExpiration)
            {
                writer.WriteExplicitKerberosTime(3, keyExpiration);
            }

            writer.WriteExplicitFlags(4, (uint)Flags);
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

            writer.WriteExplicitGeneralString(9, ServerRealm);
            writer.WriteExplicit(10, ServerName);
            if (Addresses is not null)
            {
                using (writer.PushExplicit(11))
                {
                    writer.WriteSequenceOf(Addresses);
                }
            }

            if (EncryptedPaData is not null)
            {
                using (writer.PushExplicit(12))
                {
                    writer.WriteSequenceOf(EncryptedPaData);
                }
            }
        }
    }
}
