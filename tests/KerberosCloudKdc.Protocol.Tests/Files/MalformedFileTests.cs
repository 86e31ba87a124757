using KerberosCloudKdc.Protocol.Files;

namespace KerberosCloudKdc.Protocol.Tests.Files;

/// <summary>
/// Damaged files may parse or may be rejected, but only ever with KerberosProtocolException: any
/// other exception escaping Parse would be a crash in whatever reads an attacker's file.
/// </summary>
public sealed class MalformedFileTests
{
    private const int MutationCases = 3000;

    public static TheoryData<string> Samples => new() { "keytab", "ccache-v4", "ccache-v3" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_truncation_parses_or_raises_KerberosProtocolException(string sample)
    {
        var bytes = SampleBytes(sample);
        var rejected = 0;
        for (var length = 0; length < bytes.Length; length++)
        {
            rejected += ParseOutcome(sample, bytes[..length]) ? 0 : 1;
        }

        // Cutting a cache anywhere but between credentials loses data, so most cuts must be refused.
        Assert.True(rejected > bytes.Length / 2, $"only {rejected} of {bytes.Length} truncations were rejected");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Random_mutations_parse_or_raise_KerberosProtocolException(string sample)
    {
        var original = SampleBytes(sample);
        var random = new Random(20240611 + sample.Length);
        var (accepted, rejected) = (0, 0);
        for (var i = 0; i < MutationCases; i++)
        {
            var bytes = (byte[])original.Clone();
            var changes = random.Next(1, 5);
            for (var c = 0; c < changes; c++)
            {
                var position = random.Next(bytes.Length);
                bytes[position] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => 0xFF,
                    _ => (byte)(bytes[position] ^ (1 << random.Next(8))),
                };
            }

            if (ParseOutcome(sample, bytes))
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        // Both outcomes must occur, or the mutations are not reaching the parser's checks.
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }

    private static byte[] SampleBytes(string sample) => sample switch
    {
        "keytab" => FileSamples.Keytab().ToArray(),
        "ccache-v4" => FileSamples.Cache(4).ToArray(),
        _ => FileSamples.Cache(3).ToArray(),
    };

    /// <summary>True if parsed; false if rejected properly. Whatever parses must also be writable again.</summary>
    private static bool ParseOutcome(string sample, byte[] bytes)
    {
        try
        {
            if (sample == "keytab")
            {
                var keytab = KeytabFile.Parse(bytes);
                KeytabFileTests.AssertSameEntries(keytab, KeytabFile.Parse(keytab.ToArray()));
            }
            else
            {
                var cache = CredentialCache.Parse(bytes);
                var rewritten = cache.ToArray();

                // Version 4 keeps every byte it reads, so a rewrite must reproduce the input exactly.
                if (cache.Version == 4)
                {
                    Assert.Equal(bytes, rewritten);
                }
            }

            return true;
        }
        catch (KerberosProtocolException)
        {
            return false;
        }
    }
}
