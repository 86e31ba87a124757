using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbFastResponse ::= SEQUENCE {
//         padata         [0] SEQUENCE OF PA-DATA,
//                 -- padata typed holes.
//         strengthen-key [1] EncryptionKey OPTIONAL,
//                 -- This, if present, strengthens the reply key for AS and
//                 -- TGS.  MUST be present for TGS.
//                 -- MUST be absent in KRB-ERROR.
//         finished       [2] KrbFastFinished OPTIONAL,
//                 -- Present in AS or TGS reply; absent otherwise.
//         nonce          [3] UInt32,
//                 -- Nonce from the client request.
//         ...
// }

/// <summary>
/// The decrypted FAST reply (RFC 6113 §5.4.3). Its padata replaces the outer reply's; when
/// <see cref="StrengthenKey"/> is present the KDC-REP enc-part is under
/// <see cref="FastArmor.StrengthenReplyKey"/>, not the plain reply key.
/// </summary>
public sealed class KrbFastResponse : IAsn1Encodable
{
    public required IReadOnlyList<PaData> PaData { get; init; }

    public EncryptionKey? StrengthenKey { get; init; }

    public KrbFastFinished? Finished { get; init; }

    /// <summary>Must equal the nonce of the request's (inner) req-body.</summary>
    public required uint Nonce { get; init; }

    public static KrbFastResponse Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbFastResponse Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbFastResponse
        {
            PaData = sequence.ReadExplicit(0, Messages.PaData.ReadList),
            StrengthenKey = sequence.ReadOptional(1, EncryptionKey.Read),
            Finished = sequence.ReadOptional(2, KrbFastFinished.Read),
            Nonce = sequence.ReadExplicit(3, static r => r.ReadUInt32Lenient()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            using (writer.PushExplicit(0))
            {
                writer.WriteSequenceOf(PaData);
            }

            if (StrengthenKey is not null)
            {
                writer.WriteExplicit(1, StrengthenKey);
            }

            if (Finished is not null)
            {
                writer.WriteExplicit(2, Finished);
            }

            writer.WriteExplicitUInt32(3, Nonce);
        }
    }
}
