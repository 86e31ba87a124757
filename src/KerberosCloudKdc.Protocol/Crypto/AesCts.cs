using System.Buffers;
using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// AES in CBC mode with ciphertext stealing as RFC 3962 §5 defines it (the "CS3" variant: the last two
/// ciphertext blocks are always swapped, even when the input is a whole number of blocks). .NET has no
/// CTS mode, so this is CBC with zero padding followed by the swap and truncation.
/// </summary>
internal static class AesCts
{
    public const int BlockSize = 16;

    // Scratch up to this size lives on the stack; larger messages borrow from the shared pool.
    private const int MaxStackScratch = 512;

    /// <summary>Encrypts <paramref name="input"/> into <paramref name="output"/> (same length, at least one block). The two may be the same buffer.</summary>
    public static void Encrypt(Aes aes, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int length = input.Length;
        if (length < BlockSize || output.Length != length)
        {
            throw new KerberosProtocolException("CTS input must be at least one block.");
        }

        if (length == BlockSize)
        {
            // A single block has nothing to steal from: RFC 3962 §5 says plain AES, i.e. CBC with the IV.
            Span<byte> single = stackalloc byte[BlockSize];
            Xor(input, iv, single);
            aes.EncryptEcb(single, output, PaddingMode.None);
            return;
        }

        int blocks = (length + BlockSize - 1) / BlockSize;
        int paddedLength = blocks * BlockSize;
        int tail = length - ((blocks - 1) * BlockSize);

        byte[]? rented = null;
        Span<byte> scratch = paddedLength <= MaxStackScratch
            ? stackalloc byte[paddedLength]
            : (rented = ArrayPool<byte>.Shared.Rent(paddedLength)).AsSpan(0, paddedLength);
        try
        {
            input.CopyTo(scratch);
            scratch[length..].Clear();
            aes.EncryptCbc(scratch, iv, scratch, PaddingMode.None);

            int lastPair = (blocks - 2) * BlockSize;
            scratch[..lastPair].CopyTo(output);
            scratch.Slice(lastPair + BlockSize, BlockSize).CopyTo(output[lastPair..]);
            scratch.Slice(lastPair, tail).CopyTo(output[(lastPair + BlockSize)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decrypts <paramref name="input"/> into <paramref name="output"/> (same length, at least one block); the buffers must not overlap.</summary>
    public static void Decrypt(Aes aes, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int length = input.Length;
        if (length < BlockSize || output.Length != length)
        {
            throw new KerberosProtocolException("CTS input must be at least one block.");
        }

        Span<byte> block = stackalloc byte[BlockSize];
        if (length == BlockSize)
        {
            aes.DecryptEcb(input, block, PaddingMode.None);
            Xor(block, iv, output);
            return;
        }

        int blocks = (length + BlockSize - 1) / BlockSize;
        int lastPair = (blocks - 2) * BlockSize;
        int tail = length - ((blocks - 1) * BlockSize);
        int chainLength = (blocks - 1) * BlockSize;

        byte[]? rented = null;
        Span<byte> chain = chainLength <= MaxStackScratch
            ? stackalloc byte[chainLength]
            : (rented = ArrayPool<byte>.Shared.Rent(chainLength)).AsSpan(0, chainLength);
        try
        {
            // The full block sent second-to-last is the CBC output of the final (zero-padded) plaintext block;
            // decrypting it yields that block XOR the stolen bytes of the previous ciphertext block.
            ReadOnlySpan<byte> lastFull = input.Slice(lastPair, BlockSize);
            ReadOnlySpan<byte> partial = input[(lastPair + BlockSize)..];
            aes.DecryptEcb(lastFull, block, PaddingMode.None);

            input[..lastPair].CopyTo(chain);
            Span<byte> rebuilt = chain.Slice(lastPair, BlockSize);
            partial.CopyTo(rebuilt);
            block[tail..].CopyTo(rebuilt[tail..]);

            Xor(block[..tail], partial, output.Slice(chainLength, tail));
            aes.DecryptCbc(chain, iv, output[..chainLength], PaddingMode.None);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(a[i] ^ b[i]);
        }
    }
}
