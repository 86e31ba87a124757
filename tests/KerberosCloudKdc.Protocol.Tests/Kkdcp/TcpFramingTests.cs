using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Tests.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Kkdcp;

public sealed class TcpFramingTests
{
    [Theory]
    [InlineData("", "00000000")]
    [InlineData("6A00", "000000026A00")]
    public void Frame_prefixes_the_big_endian_length(string message, string expected)
    {
        Assert.Equal(expected, Der.ToHex(TcpFraming.Frame(Der.Hex(message))));
    }

    [Fact]
    public void Frame_of_a_long_message_uses_all_four_octets()
    {
        var framed = TcpFraming.Frame(new byte[0x012345]);

        Assert.Equal("00012345", Der.ToHex(framed.AsSpan(0, 4)));
        Assert.Equal(0x012345 + 4, framed.Length);
    }

    [Theory]
    [InlineData("00000000", 0)]
    [InlineData("0000007F", 127)]
    [InlineData("00100000", TcpFraming.DefaultMaxMessageLength)]
    [InlineData("000100001234", 65536)] // only the first four octets are read
    public void ReadLength_reads_lengths_up_to_the_limit(string hex, int expected)
    {
        Assert.Equal(expected, TcpFraming.ReadLength(Der.Hex(hex)));
    }

    [Theory]
    [InlineData("80000000")]
    [InlineData("80000010")]
    [InlineData("FFFFFFFF")]
    public void ReadLength_refuses_the_reserved_bit(string hex)
    {
        var error = Assert.Throws<KerberosProtocolException>(() => TcpFraming.ReadLength(Der.Hex(hex)));
        Assert.Contains("Reserved", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00100001")]
    [InlineData("7FFFFFFF")]
    public void ReadLength_refuses_lengths_over_the_default_limit(string hex)
    {
        var error = Assert.Throws<KerberosProtocolException>(() => TcpFraming.ReadLength(Der.Hex(hex)));
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLength_honours_a_custom_limit()
    {
        Assert.Equal(100, TcpFraming.ReadLength(Der.Hex("00000064"), maxLength: 100));
        Assert.Throws<KerberosProtocolException>(() => TcpFraming.ReadLength(Der.Hex("00000065"), maxLength: 100));
        Assert.Equal(0, TcpFraming.ReadLength(Der.Hex("00000000"), maxLength: 0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000000")]
    public void ReadLength_refuses_a_truncated_prefix(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => TcpFraming.ReadLength(Der.Hex(hex)));
    }

    [Theory]
    [InlineData("000000026A00", true, "6A00")]
    [InlineData("00000000", true, "")]
    [InlineData("000000036A00", false, "")]
    [InlineData("000000016A00", false, "")]
    [InlineData("000000", false, "")]
    [InlineData("800000026A00", false, "")]
    public void TryUnframe_accepts_exactly_one_framed_message(string hex, bool ok, string expected)
    {
        Assert.Equal(ok, TcpFraming.TryUnframe(Der.Hex(hex), out var message));
        Assert.Equal(expected, Der.ToHex(message.Span));
    }
}
