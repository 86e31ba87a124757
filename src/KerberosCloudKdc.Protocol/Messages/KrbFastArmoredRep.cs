using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbFastArmoredRep ::= SEQUENCE {
//         enc-fast-rep      [0] EncryptedData, -- KrbFastResponse --
//                 -- The encryption key is the armor key in the request, and
//                 -- the key usage number is KEY_USAGE_FAST_REP.
//         ...
// }

/// <summary>The armored reply inside PA-FX-FAST (RFC 6113 §5.4.3): a KrbFastResponse under the armor key, usage 52.</summary>
public sealed class KrbFastArmoredRep : IAsn1Encodable
{
    public required EncryptedData EncryptedFastResponse { get; init; }

    public static KrbFastArmoredRep Create(KerberosKey armorKey, KrbFastResponse response, IKerberosRandom random)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new KrbFastArmoredRep
        {
            EncryptedFastResponse = EncryptedData.Encrypt(armorKey, KeyUsage.FastReply, response.Encode(), random),
        };
    }

    /// <summary>Opens enc-fast-rep (usage 52); a wrong armor key throws <see cref="KerberosIntegrityException"/>.</summary>
    public KrbFastResponse DecryptResponse(KerberosKey armorKey) =>
        KrbFastResponse.Decode(EncryptedFastResponse.Decrypt(armorKey, KeyUsage.FastReply));

    public static KrbFastArmoredRep Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbFastArmoredRep Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbFastArmoredRep { EncryptedFastResponse = sequence.ReadExplicit(0, EncryptedData.Read) };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicit(0, EncryptedFastResponse);
        }
    }
}
