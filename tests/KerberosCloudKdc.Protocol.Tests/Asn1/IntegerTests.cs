using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Asn1;

public sealed class IntegerTests
{
    [Theory]
    [InlineData("020100", 0u)]
    [InlineData("02017F", 127u)]
    [InlineData("02020080", 128u)]
    [InlineData("02047FFFFFFF", 0x7FFFFFFFu)]
    [InlineData("02050080000000", 0x80000000u)] // RFC 4120 unsigned form
    [InlineData("020480000000", 0x80000000u)] // Windows signed form of the same number
    [InlineData("020500FFFFFFFF", 0xFFFFFFFFu)]
    [InlineData("0201FF", 0xFFFFFFFFu)] // -1, minimally encoded
    [InlineData("0204FEDCBA98", 0xFEDCBA98u)]
    [InlineData("020500FEDCBA98", 0xFEDCBA98u)]
    [InlineData("020500DEADBEEF", 0xDEADBEEFu)]
    [InlineData("0204DEADBEEF", 0xDEADBEEFu)]
    public void Lenient_UInt32_reads_both_the_unsigned_and_the_signed_form(string hex, uint expected)
    {
        Assert.Equal(expected, Der.Read(Der.Hex(hex), r => r.ReadUInt32Lenient()));
    }

    [Theory]
    [InlineData("02050100000000")] // 2^32
    [InlineData("020500FFFFFFFF00")] // a trailing octet after the INTEGER
    [InlineData("0206010000000000")] // 2^40
    [InlineData("0205FF7FFFFFFF")] // -2^31 - 1
    [InlineData("0205FF00000000")] // -2^32
    [InlineData("0209010000000000000000")] // 2^64
    [InlineData("02020001")] // non-minimal: not DER
    [InlineData("0203FFFFFF")] // non-minimal negative: not DER
    [InlineData("0204FFFFFFFF")] // -1 padded to four octets: not DER
    [InlineData("0200")] // empty INTEGER
    [InlineData("0A0101")] // ENUMERATED
    [InlineData("")]
    public void Lenient_UInt32_refuses_values_outside_both_ranges_and_bad_DER(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(Der.Hex(hex), r => r.ReadUInt32Lenient()));
    }

    [Theory]
    [InlineData(0u, "A303020100")]
    [InlineData(0x7FFFFFFFu, "A30602047FFFFFFF")]
    [InlineData(0x80000000u, "A306020480000000")]
    [InlineData(0xFFFFFFFFu, "A3030201FF")]
    public void UInt32_is_written_in_the_signed_32_bit_form_and_reads_back(uint value, string expected)
    {
        var encoded = Der.Write(w => w.WriteExplicitUInt32(3, value));

        Assert.Equal(expected, Der.ToHex(encoded));
        Assert.Equal(value, Der.Read(encoded, r => r.ReadExplicit(3, static i => i.ReadUInt32Lenient())));
    }

    [Theory]
    [InlineData("02047FFFFFFF", int.MaxValue)]
    [InlineData("020480000000", int.MinValue)]
    public void Int32_reads_its_full_range(string hex, int expected)
    {
        Assert.Equal(expected, Der.Read(Der.Hex(hex), r => r.ReadInt32Value()));
    }

    [Theory]
    [InlineData("02050080000000")]
    [InlineData("0205FF7FFFFFFF")]
    public void Int32_refuses_values_outside_its_range(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(Der.Hex(hex), r => r.ReadInt32Value()));
    }

    [Theory]
    [InlineData("020100", 0)]
    [InlineData("02030F423F", 999_999)]
    public void Microseconds_accept_zero_to_999999(string hex, int expected)
    {
        Assert.Equal(expected, Der.Read(Der.Hex(hex), r => r.ReadMicroseconds()));
    }

    [Theory]
    [InlineData("02030F4240")] // 1,000,000
    [InlineData("0201FF")] // -1
    [InlineData("02047FFFFFFF")]
    public void Microseconds_outside_the_range_are_refused(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(Der.Hex(hex), r => r.ReadMicroseconds()));
    }
}
