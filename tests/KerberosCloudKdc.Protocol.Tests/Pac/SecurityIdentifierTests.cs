using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

public class SecurityIdentifierTests
{
    [Theory]
    [InlineData("S-1-5-21-1004336348-1177238915-682003330-1105")]
    [InlineData("S-1-18-1")]
    [InlineData("S-1-0")]
    [InlineData("S-1-5-32-544")]
    [InlineData("S-1-0x123456789ABC-7")]
    public void Parses_and_formats_back_to_the_same_string(string text)
    {
        var sid = SecurityIdentifier.Parse(text);

        Assert.Equal(text, sid.ToString());
    }

    [Fact]
    public void Binary_form_matches_ms_dtyp_layout()
    {
        var sid = SecurityIdentifier.Parse("S-1-5-32-544");

        Assert.Equal("01020000000000052000000020020000", Convert.ToHexString(sid.ToBinary()));
        Assert.Equal(sid, SecurityIdentifier.FromBinary(sid.ToBinary()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("S-1")]
    [InlineData("S-2-5-21")]
    [InlineData("S-1-5-")]
    [InlineData("S-1-5-x")]
    [InlineData("S-1-5--1")]
    [InlineData("S-1-5-4294967296")]
    [InlineData("S-1-281474976710656-1")]
    [InlineData("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16")]
    public void Rejects_malformed_strings(string text)
    {
        Assert.False(SecurityIdentifier.TryParse(text, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0102000000000005200000")]
    [InlineData("02010000000000050000000000")]
    [InlineData("0110000000000005")]
    public void Rejects_malformed_binary(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => SecurityIdentifier.FromBinary(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Equality_is_by_value_and_WithRid_appends()
    {
        var domain = SecurityIdentifier.Parse("S-1-5-21-1-2-3");

        Assert.Equal(SecurityIdentifier.Parse("S-1-5-21-1-2-3-500"), domain.WithRid(500));
        Assert.Equal(domain.WithRid(500).GetHashCode(), SecurityIdentifier.Parse("S-1-5-21-1-2-3-500").GetHashCode());
        Assert.NotEqual(domain, domain.WithRid(500));
        Assert.Equal(500u, domain.WithRid(500).Rid);
    }
}
