using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbFastArmoredReq ::= SEQUENCE {
//         armor        [0] KrbFastArmor OPTIONAL,
//                 -- Contains the armor that identifies the armor key.
//                 -- MUST be present in AS-REQ.
//         req-checksum [1] Checksum,
//                 -- For AS, contains the checksum performed over the type
//                 -- KDC-REQ-BODY for the req-body field of the KDC-REQ
//                 -- structure;
//                 -- For TGS, contains the checksum performed over the type
//                 -- AP-REQ in the PA-TGS-REQ padata.
//                 -- The checksum key is the armor key, the checksum
//                 -- type is the required checksum type for the enctype of
//                 -- the armor key, and the key usage number is
//                 -- KEY_USAGE_FAST_REQ_CHKSUM.
//         enc-fast-req [2] EncryptedData, -- KrbFastReq --
//                 -- The encryption key is the armor key, and the key usage
//                 -- number is KEY_USAGE_FAST_ENC.
//         ...
// }

/// <summary>
/// The armored request inside PA-FX-FAST (RFC 6113 §5.4.2). <see cref="Armor"/> is absent in a TGS-REQ
/// that uses the TGT itself as implicit armor (what MIT 1.20 kvno sends). The checksum binds the armor
/// key to the outer request: over the outer req-body bytes in an AS-REQ, over the PA-TGS-REQ AP-REQ
/// bytes in a TGS-REQ — in both cases the bytes as received, never a re-encoding.
/// </summary>
public sealed class KrbFastArmoredReq : IAsn1Encodable
{
    public KrbFastArmor? Armor { get; init; }

    public required Checksum RequestChecksum { get; init; }

    public required EncryptedData EncryptedFastRequest { get; init; }

    /// <summary>
    /// Encrypts <paramref name="fastRequest"/> under the armor key (usage 51) and checksums
    /// <paramref name="checksummed"/> with it (usage 50, the armor key's mandatory checksum type).
    /// </summary>
    public static KrbFastArmoredReq Create(
        KerberosKey armorKey,
        KrbFastReq fastRequest,
        ReadOnlySpan<byte> checksummed,
        IKerberosRandom random,
        KrbFastArmor? armor = null)
    {
        ArgumentNullException.ThrowIfNull(armorKey);
        ArgumentNullException.ThrowIfNull(fastRequest);
        var checksumType = KerberosChecksum.ForEncryptionType(armorKey.EncryptionType);
        return new KrbFastArmoredReq
        {
            Armor = armor,
            RequestChecksum = new Checksum
            {
                Type = checksumType,
                Value = KerberosChecksum.Compute(checksumType, armorKey, KeyUsage.FastRequestChecksum, checksummed),
            },
            EncryptedFastRequest = EncryptedData.Encrypt(armorKey, KeyUsage.FastEncrypted, fastRequest.Encode(), random),
        };
    }

    /// <summary>
    /// True when req-checksum is a valid usage-50 checksum of <paramref name="checksummed"/> under the armor
    /// key. A checksum type that does not belong to the armor key's enctype (an unkeyed or foreign type)
    /// throws <see cref="KerberosProtocolException"/>: RFC 6113 requires a keyed checksum.
    /// </summary>
    public bool VerifyChecksum(KerberosKey armorKey, ReadOnlySpan<byte> checksummed) =>
        KerberosChecksum.Verify(RequestChecksum.Type, armorKey, KeyUsage.FastRequestChecksum, checksummed, RequestChecksum.Value.Span);

    /// <summary>Opens enc-fast-req (usage 51); a wrong armor key throws <see cref="KerberosIntegrityException"/>.</summary>
    public KrbFastReq DecryptFastRequest(KerberosKey armorKey) =>
        KrbFastReq.Decode(EncryptedFastRequest.Decrypt(armorKey, KeyUsage.FastEncrypted));

    public static KrbFastArmoredReq Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbFastArmoredReq Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbFastArmoredReq
        {
            Armor = sequence.ReadOptional(0, KrbFastArmor.Read),
            RequestChecksum = sequence.ReadExplicit(1, Checksum.Read),
            EncryptedFastRequest = sequence.ReadExplicit(2, EncryptedData.Read),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            if (Armor is not null)
            {
                writer.WriteExplicit(0, Armor);
            }

            writer.WriteExplicit(1, RequestChecksum);
            writer.WriteExplicit(2, EncryptedFastRequest);
        }
    }
}
