using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KrbFastArmor ::= SEQUENCE {
//         armor-type   [0] Int32,
//                 -- Type of the armor.
//         armor-value  [1] OCTET STRING,
//                 -- Value of the armor.
//         ...
// }

/// <summary>
/// The explicit armor of a FAST request (RFC 6113 §5.4.1). The value stays opaque, like PA-DATA, because
/// its meaning depends on <see cref="Type"/>; for <see cref="FastArmorType.ApRequest"/> read it with
/// <see cref="ReadApRequest"/>. The "..." extension marker is not honoured: DER from MIT, Heimdal and
/// Windows never carries extra fields, and refusing them keeps decode/encode byte-exact.
/// </summary>
public sealed class KrbFastArmor : IAsn1Encodable
{
    public required FastArmorType Type { get; init; }

    public required ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>Explicit armor carrying <paramref name="apReq"/> (armor-type 1).</summary>
    public static KrbFastArmor FromApRequest(ApReq apReq)
    {
        ArgumentNullException.ThrowIfNull(apReq);
        return new KrbFastArmor { Type = FastArmorType.ApRequest, Value = apReq.Encode() };
    }

    /// <summary>The AP-REQ in armor-value; refuses other armor types rather than misparse them.</summary>
    public ApReq ReadApRequest()
    {
        if (Type != FastArmorType.ApRequest)
        {
            throw new KerberosProtocolException("FAST armor is not an AP-REQ.");
        }

        return ApReq.Decode(Value);
    }

    public static KrbFastArmor Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbFastArmor Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KrbFastArmor
        {
            Type = (FastArmorType)sequence.ReadExplicit(0, static r => r.ReadInt32Value()),
            Value = sequence.ReadExplicit(1, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)Type);
            writer.WriteExplicitOctets(1, Value.Span);
        }
    }
}
