using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Tests.Support;

/// <summary>Deterministic randomness so every run issues the same keys and confounders.</summary>
internal sealed class SeededRandom(int seed) : IKerberosRandom
{
#pragma warning disable CA5394 // Determinism is the point in tests; production uses SystemKerberosRandom.
    private readonly Random random = new(seed);

    public void Fill(Span<byte> destination) => random.NextBytes(destination);
#pragma warning restore CA5394
}
