using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>The randomness seam: confounders, session keys and nonces all come from here so tests can be deterministic.</summary>
public interface IKerberosRandom
{
    void Fill(Span<byte> destination);
}

/// <summary>The production source: the operating system's CSPRNG.</summary>
public sealed class SystemKerberosRandom : IKerberosRandom
{
    public static SystemKerberosRandom Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
