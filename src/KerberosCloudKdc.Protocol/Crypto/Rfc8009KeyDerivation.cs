using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// KDF-HMAC-SHA2 from RFC 8009 §3: NIST SP 800-108 counter mode with HMAC, i.e.
/// HMAC(key, 00000001 | label | 00 | context | bit-length). That is exactly the framing of .NET's
/// <see cref="SP800108HmacCounterKdf"/> (checked against the RFC 8009 Appendix A vectors), so it is used directly.
/// </summary>
internal static class Rfc8009KeyDerivation
{
    public static void Derive(
        ReadOnlySpan<byte> key,
        HashAlgorithmName hash,
        ReadOnlySpan<byte> label,
        ReadOnlySpan<byte> context,
        Span<byte> destination)
    {
        SP800108HmacCounterKdf.DeriveBytes(key, hash, label, context, destination);
    }

    public static void DeriveKey(ReadOnlySpan<byte> baseKey, HashAlgorithmName hash, int usage, byte role, Span<byte> destination)
    {
        Span<byte> label = stackalloc byte[DerivationConstant.Length];
        DerivationConstant.Write(usage, role, label);
        Derive(baseKey, hash, label, ReadOnlySpan<byte>.Empty, destination);
    }
}
