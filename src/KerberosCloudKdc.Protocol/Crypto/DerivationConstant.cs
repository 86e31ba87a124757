using System.Buffers.Binary;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// The well-known constants that RFC 3961 §5.3 (and RFC 8009 §5, which reuses them) feeds to key
/// derivation: the 32-bit big-endian key usage followed by one octet naming the derived key's role.
/// </summary>
internal static class DerivationConstant
{
    public const int Length = 5;

    /// <summary>Kc, the checksum key.</summary>
    public const byte Checksum = 0x99;

    /// <summary>Ke, the encryption key.</summary>
    public const byte Encryption = 0xAA;

    /// <summary>Ki, the integrity key for encrypted messages.</summary>
    public const byte Integrity = 0x55;

    public static void Write(int usage, byte role, Span<byte> destination)
    {
        // Usages are unsigned 32-bit on the wire; an out-of-enum value such as a GSS or PKINIT usage is still valid.
        BinaryPrimitives.WriteUInt32BigEndian(destination, unchecked((uint)usage));
        destination[4] = role;
    }
}
