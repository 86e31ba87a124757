using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Asn1;

public sealed class KerberosAsn1Tests
{
    // PrincipalName { NT-PRINCIPAL, "a" }
    private static readonly byte[] Name = Der.Hex("300CA003020101A1053003" + "1B0161");

    [Fact]
    public void Decode_accepts_exactly_one_value()
    {
        var name = KerberosAsn1.Decode(Name, PrincipalName.Read);

        Assert.Equal(["a"], name.Components);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("0000")]
    [InlineData("300CA003020101A10530031B0161")] // a second copy
    public void Decode_refuses_trailing_data(string trailing)
    {
        byte[] encoded = [.. Name, .. Der.Hex(trailing)];

        var error = Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Decode(encoded, PrincipalName.Read));
        Assert.Contains("Trailing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_refuses_empty_input()
    {
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Decode(ReadOnlyMemory<byte>.Empty, PrincipalName.Read));
    }

    [Fact]
    public void Explicit_wrapper_must_hold_exactly_the_inner_value()
    {
        // [0] { INTEGER 5, INTEGER 6 }
        var encoded = Der.Hex("A006020105020106");

        Assert.Throws<KerberosProtocolException>(() => Der.Read(encoded, r => r.ReadExplicit(0, static i => i.ReadInt32Value())));
        Assert.Equal(5, Der.Read(Der.Hex("A003020105"), r => r.ReadExplicit(0, static i => i.ReadInt32Value())));
    }

    [Theory]
    [InlineData("A103020105")] // [1] where [0] is expected
    [InlineData("8003020105")] // primitive [0]
    [InlineData("6003020105")] // [APPLICATION 0]
    [InlineData("3003020105")] // SEQUENCE
    public void Explicit_wrapper_must_have_the_right_constructed_context_tag(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(Der.Hex(hex), r => r.ReadExplicit(0, static i => i.ReadInt32Value())));
    }

    [Fact]
    public void Optional_field_is_null_when_another_tag_comes_next()
    {
        var (first, second) = Der.Read(Der.Hex("A203020107"), r =>
            (r.ReadOptionalValue(1, static i => i.ReadInt32Value()), r.ReadOptionalValue(2, static i => i.ReadInt32Value())));

        Assert.Null(first);
        Assert.Equal(7, second);
    }

    [Fact]
    public void Sequence_of_accepts_the_maximum_count_and_refuses_one_more()
    {
        var atLimit = Der.Write(w => w.WriteSequenceOf(Enumerable.Repeat(new IntegerValue(17), KerberosAsn1.MaxSequenceOfCount)));
        var overLimit = Der.Write(w => w.WriteSequenceOf(Enumerable.Repeat(new IntegerValue(17), KerberosAsn1.MaxSequenceOfCount + 1)));

        Assert.Equal(KerberosAsn1.MaxSequenceOfCount, KerbKeyListReq.Decode(atLimit).EncryptionTypes.Count);
        Assert.Throws<KerberosProtocolException>(() => KerbKeyListReq.Decode(overLimit));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1F")] // high tag number form with no number
    [InlineData("1F80")] // unterminated tag number
    [InlineData("5F8080808080808001")] // tag number overflowing Int32
    public void PeekTag_refuses_garbage(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.PeekTag(Der.Hex(hex)));
    }

    [Fact]
    public void PeekTag_reads_the_outer_tag_without_needing_the_whole_value()
    {
        var tag = KerberosAsn1.PeekTag(Der.Hex("6A82FFFF"));

        Assert.Equal(new Asn1Tag(TagClass.Application, 10, isConstructed: true), tag);
    }

    [Fact]
    public void Guard_translates_framework_exceptions_and_passes_others_through()
    {
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Guard<int>(() => throw new AsnContentException()));
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Guard<int>(() => throw new System.Text.DecoderFallbackException()));
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Guard<int>(() => throw new OverflowException()));
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Guard<int>(() => throw new InvalidOperationException()));
        var own = Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Guard<int>(() => throw new KerberosProtocolException("mine")));
        Assert.Equal("mine", own.Message);
        Assert.Equal(3, KerberosAsn1.Guard(() => 3));
    }

    private sealed class IntegerValue(int value) : IAsn1Encodable
    {
        public void WriteTo(AsnWriter writer) => writer.WriteInteger(value);
    }
}
