using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Asn1;
using KerberosCloudKdc.Protocol.Tests.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Kkdcp;

public sealed class KdcProxyMessageTests
{
    private static readonly byte[] Request = MessageSamples.FullAsReq.Encode();

    [Fact]
    public void Length_prefixed_wrap_puts_the_TCP_length_first_and_unwraps_to_the_message()
    {
        var wrapped = KdcProxyMessage.Wrap(Request, KdcProxyFraming.LengthPrefixed);

        Assert.Equal(Request.Length + 4, wrapped.KerbMessage.Length);
        Assert.Equal(Request.Length, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(wrapped.KerbMessage.Span));
        var decoded = KdcProxyMessage.Decode(wrapped.Encode());
        var inner = decoded.Unwrap(out var framing);

        Assert.Equal(KdcProxyFraming.LengthPrefixed, framing);
        Assert.Equal(Request, inner.ToArray());
        Assert.Equal(MessageType.AsReq, KerberosMessage.PeekType(inner));
    }

    [Fact]
    public void Bare_wrap_carries_the_message_alone_and_unwraps_as_bare()
    {
        var wrapped = KdcProxyMessage.Wrap(Request, KdcProxyFraming.Bare);

        Assert.Equal(Request, wrapped.KerbMessage.ToArray());
        var inner = KdcProxyMessage.Decode(wrapped.Encode()).Unwrap(out var framing);

        Assert.Equal(KdcProxyFraming.Bare, framing);
        Assert.Equal(Request, inner.ToArray());
    }

    [Theory]
    [InlineData(KdcProxyFraming.LengthPrefixed)]
    [InlineData(KdcProxyFraming.Bare)]
    public void Golden_requests_survive_either_framing(KdcProxyFraming framing)
    {
        foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden", "mit"), "*.der", SearchOption.AllDirectories))
        {
            var message = File.ReadAllBytes(path);
            var inner = KdcProxyMessage.Decode(KdcProxyMessage.Wrap(message, framing, "EXAMPLE.TEST").Encode()).Unwrap(out var seen);

            Assert.Equal(framing, seen);
            Assert.Equal(message, inner.ToArray());
        }
    }

    [Theory]
    [InlineData("6A00")] // tiny bare message, shorter than a prefix
    [InlineData("6A0300000000")] // first four octets are not its length minus four
    [InlineData("7E8200")] // KRB-ERROR header
    [InlineData("60")] // [APPLICATION 0]
    [InlineData("7F81")] // high-number application tag
    public void Prefix_that_does_not_match_is_bare_when_an_application_tag_starts_it(string hex)
    {
        var message = new KdcProxyMessage { KerbMessage = Der.Hex(hex) };

        var inner = message.Unwrap(out var framing);

        Assert.Equal(KdcProxyFraming.Bare, framing);
        Assert.Equal(hex, Der.ToHex(inner.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("000000")] // shorter than a prefix
    [InlineData("000000056A00")] // says 5, carries 2
    [InlineData("00000001" + "6A00")] // says 1, carries 2
    [InlineData("800000026A00")] // reserved bit set
    [InlineData("3003020105")] // universal SEQUENCE
    [InlineData("4A00")] // [APPLICATION 10] primitive
    [InlineData("A000")] // context tag
    [InlineData("FFFFFFFF")]
    public void Prefix_that_does_not_match_and_no_application_tag_is_refused(string hex)
    {
        var message = new KdcProxyMessage { KerbMessage = Der.Hex(hex) };

        Assert.Throws<KerberosProtocolException>(() => message.Unwrap(out _));
    }

    [Fact]
    public void Matching_prefix_wins_over_the_bare_reading()
    {
        var message = new KdcProxyMessage { KerbMessage = Der.Hex("00000002" + "6A00") };

        Assert.Equal("6A00", Der.ToHex(message.Unwrap(out var framing).Span));
        Assert.Equal(KdcProxyFraming.LengthPrefixed, framing);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("EXAMPLE.TEST", null)]
    [InlineData(null, 0)]
    [InlineData("contoso.com", 1)]
    [InlineData("Ünïcødé.TEST", int.MinValue)]
    [InlineData("", int.MaxValue)]
    public void Target_domain_and_dclocator_hint_round_trip(string? domain, int? hint)
    {
        var message = new KdcProxyMessage { KerbMessage = Request, TargetDomain = domain, DcLocatorHint = hint };

        var decoded = KdcProxyMessage.Decode(message.Encode());

        Assert.Equal(Request, decoded.KerbMessage.ToArray());
        Assert.Equal(domain, decoded.TargetDomain);
        Assert.Equal(hint, decoded.DcLocatorHint);
        Assert.Equal(message.Encode(), decoded.Encode());
    }

    [Fact]
    public void Wrap_sets_the_target_domain_and_no_hint()
    {
        var wrapped = KdcProxyMessage.Wrap(Request, KdcProxyFraming.Bare, "EXAMPLE.TEST");

        Assert.Equal("EXAMPLE.TEST", wrapped.TargetDomain);
        Assert.Null(wrapped.DcLocatorHint);
    }

    [Fact]
    public void Known_answer_without_optional_fields()
    {
        // kerb-message 00 00 00 02 6A 00: A0 08 04 06 <6> (10) → 30 0A
        var encoded = KdcProxyMessage.Wrap(Der.Hex("6A00"), KdcProxyFraming.LengthPrefixed).Encode();

        Assert.Equal("300AA0080406000000026A00", Der.ToHex(encoded));
    }

    [Fact]
    public void Known_answer_with_target_domain_and_hint()
    {
        // A0 08 04 06 00 00 00 02 6A 00 (10) + A1 0E 1B 0C "EXAMPLE.TEST" (16) + A2 03 02 01 01 (5) = 31 → 30 1F
        const string expected = "301F" + "A0080406000000026A00" + "A10E1B0C4558414D504C452E54455354" + "A203020101";
        var message = new KdcProxyMessage
        {
            KerbMessage = Der.Hex("000000026A00"),
            TargetDomain = "EXAMPLE.TEST",
            DcLocatorHint = 1,
        };

        Assert.Equal(expected, Der.ToHex(message.Encode()));
        var decoded = KdcProxyMessage.Decode(Der.Hex(expected));
        Assert.Equal("000000026A00", Der.ToHex(decoded.KerbMessage.Span));
        Assert.Equal("EXAMPLE.TEST", decoded.TargetDomain);
        Assert.Equal(1, decoded.DcLocatorHint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3000")] // no kerb-message
    [InlineData("3005A103040100")] // [1] where [0] is required
    [InlineData("3004A0020400" + "00")] // trailing data
    [InlineData("3009A0020400A1030C0141")] // target-domain as UTF8String
    [InlineData("3009A0020400A2030A0101")] // hint as ENUMERATED
    [InlineData("300AA0020400A204020200" + "01")] // hint 1 not minimally encoded
    [InlineData("300DA0020400A207020500FFFFFFFF")] // hint past Int32
    [InlineData("3009A0020400A3030201" + "01")] // unknown [3]
    [InlineData("300EA0020400A2030201" + "01A1031B0141")] // fields out of order
    [InlineData("3004A0028000")] // primitive [0]
    [InlineData("6A04A0020400")] // application tag instead of SEQUENCE
    public void Malformed_envelopes_are_refused(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => KdcProxyMessage.Decode(Der.Hex(hex)));
    }
}
