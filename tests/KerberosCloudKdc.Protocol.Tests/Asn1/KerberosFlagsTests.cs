using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Asn1;

public sealed class KerberosFlagsTests
{
    [Theory]
    [InlineData(0x00000000u, "03050000000000")]
    [InlineData(0x40000000u, "03050040000000")]
    [InlineData(0x80000000u, "03050080000000")]
    [InlineData(0x00000001u, "03050000000001")]
    [InlineData(0x50A10000u, "030500" + "50A10000")]
    [InlineData(0xFFFFFFFFu, "030500FFFFFFFF")]
    public void Always_writes_four_octets_with_zero_unused_bits(uint flags, string expected)
    {
        var encoded = Der.Write(w => w.WriteKerberosFlags(flags));

        Assert.Equal(expected, Der.ToHex(encoded));
        Assert.Equal(flags, Der.Read(encoded, r => r.ReadKerberosFlags()));
    }

    [Fact]
    public void Bit_one_is_forwardable_and_is_the_second_most_significant_bit()
    {
        Assert.Equal(0x40000000u, (uint)TicketFlags.Forwardable);
        Assert.Equal(0x40000000u, (uint)KdcOptions.Forwardable);

        // BIT STRING bit 1 set: first content octet 0100 0000.
        var flags = (TicketFlags)Der.Read(Der.Hex("03050040000000"), r => r.ReadKerberosFlags());

        Assert.Equal(TicketFlags.Forwardable, flags);
    }

    [Fact]
    public void Bit_numbering_matches_RFC_4120_for_well_known_flags()
    {
        // renewable = bit 8, initial = bit 9, pre-authent = bit 10, canonicalize = bit 15, validate = bit 31.
        Assert.Equal(TicketFlags.Renewable, (TicketFlags)Der.Read(Der.Hex("03050000800000"), r => r.ReadKerberosFlags()));
        Assert.Equal(TicketFlags.Initial, (TicketFlags)Der.Read(Der.Hex("03050000400000"), r => r.ReadKerberosFlags()));
        Assert.Equal(TicketFlags.PreAuthent, (TicketFlags)Der.Read(Der.Hex("03050000200000"), r => r.ReadKerberosFlags()));
        Assert.Equal(KdcOptions.Canonicalize, (KdcOptions)Der.Read(Der.Hex("03050000010000"), r => r.ReadKerberosFlags()));
        Assert.Equal(KdcOptions.Validate, (KdcOptions)Der.Read(Der.Hex("03050000000001"), r => r.ReadKerberosFlags()));
    }

    [Theory]
    [InlineData("030100", 0x00000000u)] // no bits at all
    [InlineData("03020780", 0x80000000u)] // one bit, seven unused
    [InlineData("03020040", 0x40000000u)] // one whole octet
    [InlineData("0303065040", 0x50400000u)] // ten bits
    [InlineData("030400504001", 0x50400100u)] // three octets
    public void Short_bit_strings_are_padded_with_zero_bits(string hex, uint expected)
    {
        Assert.Equal(expected, Der.Read(Der.Hex(hex), r => r.ReadKerberosFlags()));
    }

    [Theory]
    [InlineData("0306004000000180", 0x40000001u)]
    [InlineData("030900FFFFFFFFFFFFFFFF", 0xFFFFFFFFu)]
    [InlineData("0306070000000080", 0x00000000u)]
    public void Bits_past_31_are_ignored(string hex, uint expected)
    {
        Assert.Equal(expected, Der.Read(Der.Hex(hex), r => r.ReadKerberosFlags()));
    }

    [Theory]
    [InlineData("0300")] // no unused-bits octet
    [InlineData("03020781")] // non-zero padding bit: not DER
    [InlineData("030108")] // unused bits without content
    [InlineData("030208FF")] // unused-bits count above 7
    [InlineData("040400000000")] // OCTET STRING
    [InlineData("2306030500400000")] // constructed BIT STRING (BER only)
    [InlineData("03050040")] // truncated
    public void Malformed_bit_strings_are_refused(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(Der.Hex(hex), r => r.ReadKerberosFlags()));
    }
}
