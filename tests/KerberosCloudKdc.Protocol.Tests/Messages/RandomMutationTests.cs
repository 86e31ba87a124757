namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>
/// Seeded random damage to every seed of <see cref="MalformedMessageTests"/> (a separate class so xUnit
/// runs it alongside the structural cases). Deterministic: the seed is derived from the seed name.
/// </summary>
public sealed class RandomMutationTests
{
    private const int FlipCases = 1500;
    private const int SpliceCases = 1000;

    public static TheoryData<string> SeedNames => MalformedMessageTests.SeedNames;

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Random_byte_changes_decode_or_are_refused(string name)
    {
        var (original, target) = MalformedMessageTests.Seed(name);
        var random = new Random(MalformedMessageTests.StableSeed(name));
        var rejected = 0;
        for (var i = 0; i < FlipCases; i++)
        {
            var bytes = (byte[])original.Clone();
            var changes = random.Next(1, 4);
            for (var c = 0; c < changes; c++)
            {
                var position = random.Next(bytes.Length);
                bytes[position] = random.Next(4) switch
                {
                    0 => (byte)random.Next(256),
                    1 => 0xFF,
                    2 => 0x80,
                    _ => (byte)(bytes[position] ^ (1 << random.Next(8))),
                };
            }

            rejected += MalformedMessageTests.Check(target, bytes, $"flip case {i}") ? 0 : 1;
        }

        // Most of a message is ciphertext, checksums and names, where changes still decode; structure must catch some.
        Assert.True(rejected > 0, "no change was ever refused");
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Random_insertions_and_deletions_decode_or_are_refused(string name)
    {
        var (original, target) = MalformedMessageTests.Seed(name);
        var random = new Random(MalformedMessageTests.StableSeed(name) ^ 0x5EED);
        var rejected = 0;
        for (var i = 0; i < SpliceCases; i++)
        {
            var bytes = new List<byte>(original);
            var edits = random.Next(1, 3);
            for (var e = 0; e < edits; e++)
            {
                var position = random.Next(bytes.Count + 1);
                if (random.Next(2) == 0 || bytes.Count == 0)
                {
                    var count = random.Next(1, 5);
                    for (var k = 0; k < count; k++)
                    {
                        bytes.Insert(position, (byte)random.Next(256));
                    }
                }
                else
                {
                    var count = Math.Min(random.Next(1, 5), bytes.Count - Math.Min(position, bytes.Count - 1));
                    bytes.RemoveRange(Math.Min(position, bytes.Count - 1), count);
                }
            }

            rejected += MalformedMessageTests.Check(target, [.. bytes], $"splice case {i}") ? 0 : 1;
        }

        // A length change anywhere breaks every enclosing length, so nearly all must be refused.
        Assert.True(rejected > SpliceCases * 9 / 10, $"only {rejected} of {SpliceCases} splices were refused");
    }
}
