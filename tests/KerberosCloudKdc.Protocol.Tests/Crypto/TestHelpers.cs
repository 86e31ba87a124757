using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>Hex parsing that tolerates the spaced groups the RFCs print.</summary>
internal static class Hex
{
    public static byte[] Parse(string text)
    {
        System.Text.StringBuilder compact = new(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
            }
        }

        return Convert.FromHexString(compact.ToString());
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}

/// <summary>Replays fixed bytes, so a test can inject the confounder an RFC vector was made with.</summary>
internal sealed class FixedRandom : IKerberosRandom
{
    private readonly byte[] bytes;
    private int position;

    public FixedRandom(byte[] bytes) => this.bytes = bytes;

    public void Fill(Span<byte> destination)
    {
        if (position + destination.Length > bytes.Length)
        {
            throw new InvalidOperationException("FixedRandom ran out of bytes.");
        }

        bytes.AsSpan(position, destination.Length).CopyTo(destination);
        position += destination.Length;
    }
}

/// <summary>Deterministic, non-cryptographic bytes for round-trip tests.</summary>
internal sealed class SeededRandom : IKerberosRandom
{
#pragma warning disable CA5394 // Not security relevant: reproducible test data only.
    private readonly Random random;

    public SeededRandom(int seed) => random = new Random(seed);

    public void Fill(Span<byte> destination) => random.NextBytes(destination);
#pragma warning restore CA5394
}
