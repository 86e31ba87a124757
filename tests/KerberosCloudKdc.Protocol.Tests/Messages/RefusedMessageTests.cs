using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Asn1;
using static KerberosCloudKdc.Protocol.Tests.Messages.MessageSamples;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>Well-formed DER that is the wrong message: wrong application tag, msg-type or version.</summary>
public sealed class RefusedMessageTests
{
    public static TheoryData<string> Messages => new()
    {
        "as-req", "tgs-req", "as-rep", "tgs-rep", "ap-req", "ap-rep", "krb-error", "krb-cred",
    };

    private static (byte[] Bytes, Func<ReadOnlyMemory<byte>, object> Decode, int VersionTag, MessageType Type) Sample(string name) => name switch
    {
        "as-req" => (FullAsReq.Encode(), b => AsReq.Decode(b), 1, MessageType.AsReq),
        "tgs-req" => (FullTgsReq.Encode(), b => TgsReq.Decode(b), 1, MessageType.TgsReq),
        "as-rep" => (FullAsRep.Encode(), b => AsRep.Decode(b), 0, MessageType.AsRep),
        "tgs-rep" => (FullTgsRep.Encode(), b => TgsRep.Decode(b), 0, MessageType.TgsRep),
        "ap-req" => (FullApReq.Encode(), b => ApReq.Decode(b), 0, MessageType.ApReq),
        "ap-rep" => (SampleApRep.Encode(), b => ApRep.Decode(b), 0, MessageType.ApRep),
        "krb-error" => (FullKrbError.Encode(), b => KrbError.Decode(b), 0, MessageType.KrbError),
        "krb-cred" => (SampleKrbCred.Encode(), b => KrbCred.Decode(b), 0, MessageType.KrbCred),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Replaces the first occurrence of <paramref name="find"/> (hex) with <paramref name="replace"/>.</summary>
    private static byte[] Patch(byte[] bytes, string find, string replace)
    {
        var needle = Der.Hex(find);
        var position = bytes.AsSpan().IndexOf(needle);
        Assert.True(position >= 0, $"{find} not found");
        var patched = (byte[])bytes.Clone();
        Der.Hex(replace).CopyTo(patched, position);
        return patched;
    }

    private static string Tagged(int tag, int value) => $"{0xA0 + tag:X2}030201{value:X2}";

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_unpatched_sample_decodes(string name)
    {
        var (bytes, decode, _, type) = Sample(name);

        Assert.NotNull(decode(bytes));
        Assert.Equal(type, KerberosMessage.PeekType(bytes));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Protocol_version_other_than_5_is_refused(string name)
    {
        var (bytes, decode, versionTag, _) = Sample(name);

        foreach (var version in new[] { 0, 4, 6, 0x7F })
        {
            var patched = Patch(bytes, Tagged(versionTag, 5), Tagged(versionTag, version));
            var error = Assert.Throws<KerberosProtocolException>(() => decode(patched));
            Assert.Contains("version", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Msg_type_that_does_not_match_the_application_tag_is_refused(string name)
    {
        var (bytes, decode, versionTag, type) = Sample(name);

        foreach (var other in Enum.GetValues<MessageType>().Where(t => t != type))
        {
            var patched = Patch(bytes, Tagged(versionTag + 1, (int)type), Tagged(versionTag + 1, (int)other));
            var error = Assert.Throws<KerberosProtocolException>(() => decode(patched));
            Assert.Contains("type", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Another_application_tag_is_refused_even_with_a_matching_msg_type(string name)
    {
        var (bytes, decode, versionTag, type) = Sample(name);

        foreach (var other in Enum.GetValues<MessageType>().Where(t => t != type))
        {
            var patched = Patch(bytes, Tagged(versionTag + 1, (int)type), Tagged(versionTag + 1, (int)other));
            patched[0] = (byte)(0x60 | (int)other);
            Assert.Equal(other, KerberosMessage.PeekType(patched));
            Assert.Throws<KerberosProtocolException>(() => decode(patched));
        }
    }

    [Theory]
    [InlineData((byte)0x30)] // bare SEQUENCE
    [InlineData((byte)0xA0)] // context tag
    [InlineData((byte)0x41)] // [APPLICATION 1] primitive
    public void Outer_tag_that_is_not_the_application_tag_is_refused(byte tag)
    {
        foreach (var name in new[] { "as-req", "krb-error", "ap-req" })
        {
            var (bytes, decode, _, _) = Sample(name);
            var patched = (byte[])bytes.Clone();
            patched[0] = tag;

            Assert.Throws<KerberosProtocolException>(() => decode(patched));
            if (tag != 0x30)
            {
                Assert.Throws<KerberosProtocolException>(() => KerberosMessage.PeekType(patched));
            }
        }
    }

    [Fact]
    public void Request_and_reply_decoders_refuse_their_siblings()
    {
        Assert.Throws<KerberosProtocolException>(() => TgsReq.Decode(FullAsReq.Encode()));
        Assert.Throws<KerberosProtocolException>(() => AsReq.Decode(FullTgsReq.Encode()));
        Assert.Throws<KerberosProtocolException>(() => TgsRep.Decode(FullAsRep.Encode()));
        Assert.Throws<KerberosProtocolException>(() => AsRep.Decode(FullTgsRep.Encode()));
        Assert.Throws<KerberosProtocolException>(() => ApRep.Decode(FullApReq.Encode()));
        Assert.Throws<KerberosProtocolException>(() => Ticket.Decode(FullApReq.Encode()));
        Assert.Throws<KerberosProtocolException>(() => EncTicketPart.Decode(FullAuthenticator.Encode()));
        Assert.Throws<KerberosProtocolException>(() => Authenticator.Decode(FullEncTicketPart.Encode()));
        Assert.Throws<KerberosProtocolException>(() => EncKrbCredPart.Decode(FullEncApRepPart.Encode()));
    }

    [Theory]
    [InlineData(ApplicationTag.EncApRepPart)]
    [InlineData(ApplicationTag.EncKrbCredPart)]
    [InlineData(ApplicationTag.EncTicketPart)]
    [InlineData(24)]
    [InlineData((int)MessageType.AsRep)]
    public void EncKdcRepPart_refuses_tags_other_than_25_and_26(int tag)
    {
        var bytes = FullEncKdcRepPart().Encode();
        bytes[0] = (byte)(0x60 | tag);

        Assert.Throws<KerberosProtocolException>(() => EncKdcRepPart.Decode(bytes));
    }

    [Fact]
    public void EncKdcRepPart_refuses_a_primitive_application_tag()
    {
        var bytes = FullEncKdcRepPart().Encode();
        bytes[0] = 0x59; // [APPLICATION 25], primitive

        Assert.Throws<KerberosProtocolException>(() => EncKdcRepPart.Decode(bytes));
    }

    [Fact]
    public void Ticket_and_authenticator_versions_other_than_5_are_refused()
    {
        var ticket = Patch(SampleTicket().Encode(), "A003020105", "A003020104");
        var authenticator = Patch(FullAuthenticator.Encode(), "A003020105", "A003020106");

        Assert.Throws<KerberosProtocolException>(() => Ticket.Decode(ticket));
        Assert.Throws<KerberosProtocolException>(() => Authenticator.Decode(authenticator));
    }

    [Fact]
    public void Microseconds_out_of_range_are_refused_in_messages()
    {
        var authenticator = new Authenticator { ClientRealm = Realm, ClientName = Alice, ClientMicroseconds = 1_000_000, ClientTime = Time };
        var error = new KrbError
        {
            ServerTime = Time,
            ServerMicroseconds = -1,
            ErrorCode = KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED,
            Realm = Realm,
            ServerName = Service,
        };

        Assert.Throws<KerberosProtocolException>(() => Authenticator.Decode(authenticator.Encode()));
        Assert.Throws<KerberosProtocolException>(() => KrbError.Decode(error.Encode()));
    }

    [Fact]
    public void Missing_required_field_is_refused()
    {
        // KRB-ERROR without sname: drop the [10] element by building the sequence by hand.
        var full = MinimalKrbError.Encode();
        var sname = KerberosAsn1.Encode(PrincipalName.Krbtgt(Realm));
        byte[] wrapped = [0xAA, .. Der.Length(sname.Length), .. sname];
        var position = full.AsSpan().IndexOf(wrapped);
        Assert.True(position > 0);
        var inner = full.AsSpan(4, position - 4).ToArray(); // fields before sname: skip 7E xx 30 xx
        Assert.Equal(0x7E, full[0]);
        Assert.True(full[1] < 0x80 && full[3] < 0x80);
        var sequence = Der.Tlv(0x30, inner);
        var truncated = Der.Tlv(0x7E, sequence);

        Assert.Throws<KerberosProtocolException>(() => KrbError.Decode(truncated));
    }

    [Fact]
    public void Fields_out_of_order_are_refused()
    {
        // PA-DATA { [2] value, [1] type } instead of { [1], [2] }
        var swapped = Der.Hex("300AA2030401AAA103020102");

        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Decode(swapped, PaData.Read));
        Assert.Equal(PaDataType.EncTimestamp, KerberosAsn1.Decode(Der.Hex("300AA103020102A2030401AA"), PaData.Read).Type);
    }

    [Fact]
    public void Unknown_extra_field_is_refused()
    {
        // EncryptionKey with an extra [2]
        var extended = Der.Hex("300FA003020111A1030401AAA203020100");

        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Decode(extended, EncryptionKey.Read));
    }
}
