using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Server.Token;

/// <summary>How a presented nonce fared.</summary>
internal enum NonceCheck
{
    Valid,
    Malformed,
    Expired,
    Replayed,
}

/// <summary>
/// srv_challenge nonces (docs/token-path.md §1.1): self-validating, so issuing keeps no state:
/// base64url(issued-at seconds | 16 random bytes | HMAC-SHA256 of both under a per-process key).
/// Single use: a used nonce is remembered until it would have expired anyway, in a bounded cache.
/// </summary>
internal sealed class NonceService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int TimeLength = 8;
    private const int RandomLength = 16;
    private const int MacLength = 32;
    private const int TotalLength = TimeLength + RandomLength + MacLength;

    private readonly TimeProvider clock;
    private readonly IKerberosRandom random;
    private readonly byte[] key;
    private readonly int maxRemembered;
    private readonly ConcurrentDictionary<string, long> used = new(StringComparer.Ordinal);

    public NonceService(TimeProvider clock, IKerberosRandom random, int maxRemembered = 100_000)
    {
        this.clock = clock;
        this.random = random;
        this.maxRemembered = maxRemembered;

        // The key never leaves the process: nonces do not survive a restart, which only costs a new challenge.
        key = RandomNumberGenerator.GetBytes(32);
    }

    public string Issue()
    {
        Span<byte> nonce = stackalloc byte[TotalLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce, clock.GetUtcNow().ToUnixTimeSeconds());
        random.Fill(nonce.Slice(TimeLength, RandomLength));
        HMACSHA256.HashData(key, nonce[..(TimeLength + RandomLength)], nonce[(TimeLength + RandomLength)..]);
        return Base64Url.EncodeToString(nonce);
    }

    /// <summary>Checks and consumes the nonce: a valid one is valid exactly once.</summary>
    public NonceCheck Consume(string? nonce)
    {
        if (nonce is null || nonce.Length > 128)
        {
            return NonceCheck.Malformed;
        }

        if (Base64UrlText.TryDecode(nonce) is not { Length: TotalLength } decoded)
        {
            return NonceCheck.Malformed;
        }

        ReadOnlySpan<byte> bytes = decoded;
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, bytes[..(TimeLength + RandomLength)], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes[(TimeLength + RandomLength)..]))
        {
            return NonceCheck.Malformed;
        }

        var issued = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var expires = issued + (long)Lifetime.TotalSeconds;

        // A little future skew is tolerated for clocks moved back; nothing issued "later" than that is ours.
        if (now >= expires || issued > now + 60)
        {
            return NonceCheck.Expired;
        }

        // Keyed on the decoded bytes: the decoder forgives padding, whitespace and stray low bits, so several texts
        // carry the same nonce, and keying on the text would let each of them through once.
        var canonical = Convert.ToHexString(decoded);
        if (used.Count >= maxRemembered)
        {
            Purge(now);
            if (used.Count >= maxRemembered)
            {
                // Fail closed: a full cache must never let a nonce through twice.
                return NonceCheck.Replayed;
            }
        }

        return used.TryAdd(canonical, expires) ? NonceCheck.Valid : NonceCheck.Replayed;
    }

    private void Purge(long now)
    {
        foreach (var (nonce, expires) in used)
        {
            if (expires <= now)
            {
                used.TryRemove(nonce, out _);
            }
        }
    }
}
