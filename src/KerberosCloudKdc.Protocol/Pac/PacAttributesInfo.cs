namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.14 PAC_ATTRIBUTES_INFO: ULONG FlagsLength (in bits); ULONG Flags[ceil(FlagsLength/32)].

/// <summary>Whether the client asked for the PAC (KERB-PA-PAC-REQUEST) or got it implicitly.</summary>
public sealed class PacAttributesInfo : PacBuffer
{
    /// <summary>Bit 0 of the first word.</summary>
    public const uint PacWasRequestedFlag = 0x1;

    /// <summary>Bit 1 of the first word.</summary>
    public const uint PacWasGivenImplicitlyFlag = 0x2;

    private readonly uint[] flags;

    public PacAttributesInfo(uint flagsLength, IReadOnlyList<uint> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(flagsLength, (uint)PacLimits.MaxAttributeFlagBits);
        if (flags.Count != WordsFor(flagsLength))
        {
            throw new ArgumentException("Flags must hold exactly ceil(FlagsLength / 32) words.", nameof(flags));
        }

        FlagsLength = flagsLength;
        this.flags = flags.ToArray();
    }

    /// <summary>The two-bit form Windows writes.</summary>
    public PacAttributesInfo(bool pacWasRequested, bool pacWasGivenImplicitly)
        : this(2, [(pacWasRequested ? PacWasRequestedFlag : 0) | (pacWasGivenImplicitly ? PacWasGivenImplicitlyFlag : 0)])
    {
    }

    public override PacBufferType Type => PacBufferType.Attributes;

    public uint FlagsLength { get; }

    public IReadOnlyList<uint> Flags => flags;

    public bool PacWasRequested => flags.Length > 0 && (flags[0] & PacWasRequestedFlag) != 0;

    public bool PacWasGivenImplicitly => flags.Length > 0 && (flags[0] & PacWasGivenImplicitlyFlag) != 0;

    public override byte[] Encode()
    {
        var w = new PacWriter();
        w.WriteUInt32(FlagsLength);
        foreach (var word in flags)
        {
            w.WriteUInt32(word);
        }

        return w.ToArray();
    }

    public static PacAttributesInfo Decode(ReadOnlySpan<byte> data)
    {
        var r = new PacReader(data, "PAC attributes info");
        var flagsLength = r.ReadUInt32();
        if (flagsLength > PacLimits.MaxAttributeFlagBits)
        {
            throw new KerberosProtocolException("PAC attributes info has too many flag bits.");
        }

        var words = new uint[WordsFor(flagsLength)];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = r.ReadUInt32();
        }

        if (r.Remaining != 0)
        {
            throw new KerberosProtocolException("PAC attributes info has trailing data.");
        }

        return new PacAttributesInfo(flagsLength, words);
    }

    private static int WordsFor(uint bits) => (int)((bits + 31) / 32);
}
