namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// The n-fold function of RFC 3961 §5.1: stretches or shrinks a constant to the cipher's block size
/// so that any usage constant can feed the DR/DK key derivation.
/// </summary>
internal static class NFold
{
    // Inputs are short ASCII constants and key-usage tuples; bounding the lcm keeps the scratch buffer on the stack.
    private const int MaxStackBuffer = 1024;
    private const int MaxOutput = 64;

    public static void Fold(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int inLength = input.Length;
        int outLength = output.Length;
        if (inLength == 0 || outLength == 0 || outLength > MaxOutput)
        {
            throw new KerberosProtocolException("n-fold input or output length is out of range.");
        }

        int lcm = inLength / Gcd(inLength, outLength) * outLength;

        // The lcm-length string is copies of the input, each rotated 13 bits further right than the last.
        Span<byte> expanded = lcm <= MaxStackBuffer ? stackalloc byte[lcm] : new byte[lcm];
        int bitLength = inLength * 8;
        for (int copy = 0; copy < lcm / inLength; copy++)
        {
            int rotation = (int)((13L * copy) % bitLength);
            Span<byte> target = expanded.Slice(copy * inLength, inLength);
            for (int i = 0; i < inLength; i++)
            {
                // Output bit j of a right rotation by r comes from input bit (j - r) mod L.
                int sourceBit = ((i * 8) - rotation + bitLength) % bitLength;
                int sourceByte = sourceBit >> 3;
                int shift = sourceBit & 7;
                int high = input[sourceByte] << shift;
                int low = shift == 0 ? 0 : input[(sourceByte + 1) % inLength] >> (8 - shift);
                target[i] = (byte)(high | low);
            }
        }

        // Ones'-complement addition of the out-length chunks: sum column-wise, then fold carries end-around.
        Span<int> accumulator = stackalloc int[outLength];
        accumulator.Clear();
        for (int offset = 0; offset < lcm; offset += outLength)
        {
            for (int i = 0; i < outLength; i++)
            {
                accumulator[i] += expanded[offset + i];
            }
        }

        int carry;
        do
        {
            carry = 0;
            for (int i = outLength - 1; i >= 0; i--)
            {
                int value = accumulator[i] + carry;
                accumulator[i] = value & 0xFF;
                carry = value >> 8;
            }

            if (carry != 0)
            {
                accumulator[outLength - 1] += carry;
            }
        }
        while (carry != 0);

        for (int i = 0; i < outLength; i++)
        {
            output[i] = (byte)accumulator[i];
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
