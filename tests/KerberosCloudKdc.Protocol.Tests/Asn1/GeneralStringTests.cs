using System.Text;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Asn1;

public sealed class GeneralStringTests
{
    [Theory]
    [InlineData(0, "1B00")]
    [InlineData(127, "1B7F")]
    [InlineData(128, "1B8180")]
    [InlineData(255, "1B81FF")]
    [InlineData(256, "1B820100")]
    [InlineData(300, "1B82012C")]
    [InlineData(70000, "1B83011170")]
    public void Writes_the_DER_length_form_for_each_size_and_reads_it_back(int length, string expectedHeader)
    {
        var value = new string((char)('a' + (length % 26)), length);

        var encoded = Der.Write(w => w.WriteGeneralString(value));

        var header = Der.Hex(expectedHeader);
        Assert.Equal(header.Length + length, encoded.Length);
        Assert.Equal(expectedHeader, Der.ToHex(encoded.AsSpan(0, header.Length)));
        Assert.Equal(Encoding.ASCII.GetBytes(value), encoded[header.Length..]);
        Assert.Equal(value, Der.Read(encoded, r => r.ReadGeneralString()));
    }

    [Fact]
    public void Utf8_content_round_trips_with_the_byte_length_in_the_header()
    {
        const string value = "Jürgen-€-\U0001F600@EXAMPLE.TEST";
        var utf8 = Encoding.UTF8.GetBytes(value);

        var encoded = Der.Write(w => w.WriteGeneralString(value));

        Assert.Equal(Der.Tlv(0x1B, utf8), encoded);
        Assert.Equal(value, Der.Read(encoded, r => r.ReadGeneralString()));
    }

    [Fact]
    public void Explicit_general_string_is_wrapped_in_the_context_tag()
    {
        var encoded = Der.Write(w => w.WriteExplicitGeneralString(9, "AB"));

        Assert.Equal("A9041B024142", Der.ToHex(encoded));
    }

    [Theory]
    [InlineData("0C03616263")] // UTF8String
    [InlineData("1603616263")] // IA5String
    [InlineData("1303616263")] // PrintableString
    [InlineData("0403616263")] // OCTET STRING
    [InlineData("9B03616263")] // [27] context-specific, primitive: right number, wrong class
    [InlineData("5B03616263")] // [APPLICATION 27], primitive
    [InlineData("3B051B03616263")] // constructed GeneralString (BER only)
    [InlineData("1B8103616263")] // non-minimal length: not DER
    [InlineData("1B04616263")] // length past the end
    [InlineData("1B02C328")] // invalid UTF-8
    [InlineData("1B02C0AF")] // overlong UTF-8 encoding of '/'
    [InlineData("1B03EDA080")] // UTF-8 encoded lone surrogate
    [InlineData("")]
    public void Anything_but_a_primitive_DER_GeneralString_of_valid_UTF8_is_refused(string hex)
    {
        var encoded = Der.Hex(hex);

        Assert.Throws<KerberosProtocolException>(() => Der.Read(encoded, r => r.ReadGeneralString()));
    }

    [Fact]
    public void Writing_null_is_an_argument_error_not_a_protocol_error()
    {
        Assert.Throws<ArgumentNullException>(() => Der.Write(w => w.WriteGeneralString(null!)));
    }
}
