using System.Buffers.Binary;

namespace KerberosCloudKdc.Protocol.Messages;

// PA-SUPPORTED-ENCTYPES (165): padata-value is a 32-bit little-endian bit field, not DER (MS-KILE §2.2.8).

/// <summary>The KDC's statement of the service's supported etypes and features (MS-KILE §2.2.7/§2.2.8).</summary>
public static class PaSupportedEncryptionTypes
{
    [Flags]
    public enum Flags : uint
    {
        None = 0,
        DesCbcCrc = 0x1,
        DesCbcMd5 = 0x2,
        Rc4Hmac = 0x4,
        Aes128CtsHmacSha196 = 0x8,
        Aes256CtsHmacSha196 = 0x10,
        Aes256CtsHmacSha196SessionKey = 0x20,
        FastSupported = 0x10000,
        CompoundIdentitySupported = 0x20000,
        ClaimsSupported = 0x40000,
        ResourceSidCompressionDisabled = 0x80000,
    }

    public static Flags Decode(ReadOnlySpan<byte> value) =>
        value.Length == 4
            ? (Flags)BinaryPrimitives.ReadUInt32LittleEndian(value)
            : throw new KerberosProtocolException("PA-SUPPORTED-ENCTYPES must be 4 bytes.");

    public static PaData ToPaData(Flags flags)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)flags);
        return new PaData { Type = PaDataType.SupportedEtypes, Value = value };
    }
}
