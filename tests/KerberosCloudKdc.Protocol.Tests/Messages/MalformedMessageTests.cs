using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>
/// Damaged DER may decode or may be refused, but only ever with KerberosProtocolException; and what
/// decodes must re-encode, stably. Seeds are the golden MIT messages and messages built in code.
/// </summary>
public sealed class MalformedMessageTests
{
    private static readonly FuzzTarget PeekType = FuzzTargets.ByName("PeekType");

    // Kept as a static so the theory data names stay short; the seeds are built once.
    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Bytes, FuzzTarget Target)>> AllSeeds = new(FuzzTargets.Seeds);

    public static TheoryData<string> SeedNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var seed in AllSeeds.Value)
            {
                data.Add(seed.Name);
            }

            return data;
        }
    }

    internal static (byte[] Bytes, FuzzTarget Target) Seed(string name)
    {
        var seed = AllSeeds.Value.Single(s => s.Name == name);
        return (seed.Bytes, seed.Target);
    }

    /// <summary>True when decoded, false when refused with KerberosProtocolException; anything else fails the test.</summary>
    internal static bool Outcome(FuzzTarget target, byte[] input, string label)
    {
        byte[] reencoded;
        try
        {
            reencoded = target.Run(input);
        }
        catch (KerberosProtocolException)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{target} threw {e.GetType().Name} on {label}: {Der.ToHex(input)}\n{e}");
        }

        // What decoded re-encodes, and the re-encoding is a fixed point.
        try
        {
            if (target != PeekType)
            {
                Assert.Equal(reencoded, target.Run(reencoded));
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{target} could not decode its own re-encoding of {label}: {Der.ToHex(input)}\n{e}");
        }

        return true;
    }

    /// <summary>The seed's own decoder, PeekType and the KKDCP envelope decoder.</summary>
    internal static bool Check(FuzzTarget target, byte[] input, string label)
    {
        Outcome(PeekType, input, label);
        Outcome(FuzzTargets.KdcProxyTarget, input, label);
        return Outcome(target, input, label);
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Seed_decodes_and_re_encodes(string name)
    {
        var (bytes, target) = Seed(name);

        Assert.True(Outcome(target, bytes, "the seed"));
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Every_truncation_is_refused(string name)
    {
        var (bytes, target) = Seed(name);

        for (var length = 0; length < bytes.Length; length++)
        {
            // One DER value cut short can never be a whole value.
            Assert.False(Check(target, bytes[..length], $"truncation to {length}"), $"truncation to {length} decoded");
        }
    }

    private static readonly string[] LengthReplacements =
    [
        "84FFFFFFFF", "847FFFFFFF", "8480000000", "8400010000", "88FFFFFFFFFFFFFFFF", "887FFFFFFFFFFFFFFF",
        "890100000000000000", "80", "FF", "8100", "820000", "8F", "00", "7F",
    ];

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Corrupted_length_fields_are_refused(string name)
    {
        var (original, target) = Seed(name);
        var fields = DerWalker.LengthFields(original);
        Assert.NotEmpty(fields);

        Assert.Contains(fields, f => !f.Opaque);
        foreach (var (offset, size, opaque) in fields)
        {
            var declared = DerWalker.ReadLength(original, offset);
            // The same length in a non-minimal long form: a leading zero octet (BER, not DER).
            var minimal = Der.Length(declared);
            byte[] octets = declared < 0x80 ? minimal : minimal[1..];
            byte[] nonMinimal = [(byte)(0x80 | (octets.Length + 1)), 0x00, .. octets];
            var variants = LengthReplacements.Select(Der.Hex)
                .Append(Der.Length(declared + 1))
                .Concat(declared > 0 ? [Der.Length(declared - 1)] : [])
                .Append(nonMinimal);
            foreach (var replacement in variants)
            {
                byte[] bytes = [.. original.AsSpan(0, offset), .. replacement, .. original.AsSpan(offset + size)];
                if (bytes.AsSpan().SequenceEqual(original))
                {
                    continue;
                }

                var label = $"length at {offset} set to {Der.ToHex(replacement)}";
                var decoded = Check(target, bytes, label);

                // Inside an opaque OCTET STRING (a padata value, e-data) the damage is for a later decoder to find.
                Assert.False(decoded && !opaque, $"{label} decoded");
            }
        }
    }

    public static TheoryData<string, int> NestingHeaders => new()
    {
        { "30", 10_000 },
        { "A0", 10_000 },
        { "6A", 10_000 },
        { "7E", 10_000 },
        { "30A2", 5_000 }, // alternating SEQUENCE / [2] like a nested AD-IF-RELEVANT would be
        { "6C30A4", 3_000 },
    };

    [Theory]
    [MemberData(nameof(NestingHeaders))]
    public void Deep_nesting_is_refused_by_every_decoder_without_exhausting_the_stack(string tags, int depth)
    {
        var tagBytes = Der.Hex(tags);
        byte[] inner = [0x05, 0x00];
        for (var level = 0; level < depth; level++)
        {
            inner = Der.Tlv(tagBytes[level % tagBytes.Length], inner);
        }

        byte[] unterminated = [.. Enumerable.Range(0, depth).SelectMany(_ => new byte[] { tagBytes[0], 0x84, 0xFF, 0xFF, 0xFF, 0xFF })];
        byte[] indefinite = [.. Enumerable.Range(0, depth).SelectMany(_ => new byte[] { tagBytes[0], 0x80 })];

        foreach (var target in FuzzTargets.All)
        {
            foreach (var (bytes, label) in new[] { (inner, "well-formed"), (unterminated, "huge lengths"), (indefinite, "indefinite lengths") })
            {
                var decoded = Outcome(target, bytes, $"{depth} nested {tags} ({label})");
                if (target != PeekType)
                {
                    Assert.False(decoded, $"{target} accepted {depth} nested {tags} ({label})");
                }
            }
        }
    }

    [Fact]
    public void Deeply_nested_AD_IF_RELEVANT_is_opened_one_level_at_a_time()
    {
        var pac = new byte[] { 1, 2, 3 };
        var element = AuthorizationData.WrapPac(pac);
        for (var level = 0; level < 5_000; level++)
        {
            element = AuthorizationData.IfRelevant(element);
        }

        var list = AuthorizationData.DecodeList(AuthorizationData.EncodeList([element]));

        // FindPac looks one container deep only, so the buried PAC is not found and nothing recurses.
        Assert.Null(AuthorizationData.FindPac(list));
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Any_bytes_survive_the_KKDCP_round_trip_in_either_framing(string name)
    {
        var (original, _) = Seed(name);
        var random = new Random(StableSeed(name) + 7);
        for (var i = 0; i < 50; i++)
        {
            var bytes = original[..random.Next(original.Length + 1)];
            var framed = KdcProxyMessage.Decode(KdcProxyMessage.Wrap(bytes, KdcProxyFraming.LengthPrefixed).Encode());
            Assert.Equal(bytes, framed.Unwrap(out var framing).ToArray());
            Assert.Equal(KdcProxyFraming.LengthPrefixed, framing);
        }
    }

    [Fact]
    public void Random_garbage_is_refused_by_every_decoder()
    {
        var random = new Random(4120);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            foreach (var target in FuzzTargets.All)
            {
                Outcome(target, bytes, $"garbage case {i}");
            }
        }
    }

    /// <summary>string.GetHashCode is randomised per process; this is not, so failures reproduce.</summary>
    internal static int StableSeed(string name)
    {
        var hash = 17;
        foreach (var c in name)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
