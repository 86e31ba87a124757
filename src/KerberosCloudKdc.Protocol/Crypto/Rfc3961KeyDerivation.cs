using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// DR and DK from RFC 3961 §5.1 for the AES block cipher: the constant is n-folded to one block and
/// encrypted repeatedly, each output block becoming the next input, until enough key bytes exist.
/// For AES random-to-key is the identity (RFC 3962 §6), so DK is simply DR.
/// </summary>
internal static class Rfc3961KeyDerivation
{
    public static void DeriveKey(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> constant, Span<byte> destination)
    {
        using Aes aes = Aes.Create();
        aes.SetKey(baseKey);

        Span<byte> block = stackalloc byte[AesCts.BlockSize];
        if (constant.Length == AesCts.BlockSize)
        {
            constant.CopyTo(block);
        }
        else
        {
            NFold.Fold(constant, block);
        }

        // With a single block, E(key, x, zero IV) in the CTS profile is one raw AES block operation.
        for (int offset = 0; offset < destination.Length; offset += AesCts.BlockSize)
        {
            aes.EncryptEcb(block, block, PaddingMode.None);
            int count = Math.Min(AesCts.BlockSize, destination.Length - offset);
            block[..count].CopyTo(destination[offset..]);
        }

        CryptographicOperations.ZeroMemory(block);
    }

    public static void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte role, Span<byte> destination)
    {
        Span<byte> constant = stackalloc byte[DerivationConstant.Length];
        DerivationConstant.Write(usage, role, constant);
        DeriveKey(baseKey, constant, destination);
    }
}
