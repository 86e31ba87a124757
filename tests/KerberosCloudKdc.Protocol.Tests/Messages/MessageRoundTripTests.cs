using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Messages;
using static KerberosCloudKdc.Protocol.Tests.Messages.MessageSamples;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>Build in code, encode, decode, compare every field, and check the re-encoding is identical.</summary>
public sealed class MessageRoundTripTests
{
    private static T RoundTrip<T>(T original, Func<ReadOnlyMemory<byte>, T> decode, Action<T, T> equal)
        where T : IAsn1Encodable
    {
        var bytes = KerberosAsn1.Encode(original);
        var decoded = decode(bytes);
        equal(original, decoded);
        Assert.Equal(bytes, KerberosAsn1.Encode(decoded));
        return decoded;
    }

    private static Func<ReadOnlyMemory<byte>, T> With<T>(Func<System.Formats.Asn1.AsnReader, T> read) =>
        bytes => KerberosAsn1.Decode(bytes, read);

    [Fact]
    public void Small_types_round_trip()
    {
        RoundTrip(Alice, With(PrincipalName.Read), MessageAssert.Equal);
        RoundTrip(new PrincipalName(PrincipalNameType.Enterprise, "alice@contoso.com"), With(PrincipalName.Read), MessageAssert.Equal);
        RoundTrip(new PrincipalName(PrincipalNameType.MsPrincipalAndId), With(PrincipalName.Read), MessageAssert.Equal);
        RoundTrip(Encrypted(), With(EncryptedData.Read), MessageAssert.Equal);
        RoundTrip(Encrypted(null), With(EncryptedData.Read), MessageAssert.Equal);
        RoundTrip(Encrypted(uint.MaxValue), With(EncryptedData.Read), MessageAssert.Equal);
        RoundTrip(Key(), With(EncryptionKey.Read), MessageAssert.Equal);
        RoundTrip(SampleChecksum, With(Checksum.Read), MessageAssert.Equal);
        RoundTrip(Ipv6, With(HostAddress.Read), MessageAssert.Equal);
        RoundTrip(new TransitedEncoding { Type = 1, Contents = "A.B,C"u8.ToArray() }, With(TransitedEncoding.Read), MessageAssert.Equal);
        RoundTrip(TransitedEncoding.Empty, With(TransitedEncoding.Read), MessageAssert.Equal);
        RoundTrip(new LastReq { Type = -3, Value = Time }, With(LastReq.Read), MessageAssert.Equal);
        RoundTrip(PaDataList[1], With(PaData.Read), MessageAssert.Equal);
        RoundTrip(FullEtypeInfo[0], With(EtypeInfo2Entry.Read), MessageAssert.Equal);
        RoundTrip(FullEtypeInfo[1], With(EtypeInfo2Entry.Read), MessageAssert.Equal);
        RoundTrip(TypedDataList[0], With(TypedData.Read), MessageAssert.Equal);
        RoundTrip(TypedDataList[1], With(TypedData.Read), MessageAssert.Equal);
        RoundTrip(AuthData[1], With(AuthorizationData.Read), MessageAssert.Equal);
        RoundTrip(SampleTicket(), Ticket.Decode, MessageAssert.Equal);
    }

    [Fact]
    public void Decoded_optional_fields_are_really_absent()
    {
        var data = KerberosAsn1.Decode(KerberosAsn1.Encode(Encrypted(null)), EncryptedData.Read);
        var entry = KerberosAsn1.Decode(KerberosAsn1.Encode(FullEtypeInfo[1]), EtypeInfo2Entry.Read);
        var typed = KerberosAsn1.Decode(KerberosAsn1.Encode(TypedDataList[1]), TypedData.Read);

        Assert.Null(data.KeyVersion);
        Assert.Null(entry.Salt);
        Assert.Null(entry.S2kParams);
        Assert.Null(typed.Value);
    }

    [Fact]
    public void KdcReqBody_round_trips_with_all_and_no_optional_fields()
    {
        RoundTrip(FullBody, With(KdcReqBody.Read), MessageAssert.Equal);
        var minimal = RoundTrip(MinimalBody, With(KdcReqBody.Read), MessageAssert.Equal);

        Assert.Null(minimal.ClientName);
        Assert.Null(minimal.ServerName);
        Assert.Null(minimal.From);
        Assert.Null(minimal.RenewTill);
        Assert.Null(minimal.Addresses);
        Assert.Null(minimal.EncryptedAuthorizationData);
        Assert.Null(minimal.AdditionalTickets);
        Assert.Empty(minimal.EncryptionTypes);
    }

    [Fact]
    public void AsReq_round_trips()
    {
        RoundTrip(FullAsReq, AsReq.Decode, MessageAssert.Equal);
        Assert.Null(RoundTrip(MinimalAsReq, AsReq.Decode, MessageAssert.Equal).PaData);
    }

    [Fact]
    public void TgsReq_round_trips_and_finds_its_AP_REQ()
    {
        var full = RoundTrip(FullTgsReq, TgsReq.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalTgsReq, TgsReq.Decode, MessageAssert.Equal);

        MessageAssert.Equal(FullApReq, full.FindApReq()!);
        Assert.Null(minimal.PaData);
        Assert.Null(minimal.FindApReq());
    }

    [Fact]
    public void AsRep_round_trips()
    {
        var full = RoundTrip(FullAsRep, AsRep.Decode, MessageAssert.Equal);
        Assert.Null(RoundTrip(MinimalAsRep, AsRep.Decode, MessageAssert.Equal).PaData);

        var entries = EtypeInfo2Entry.DecodeList(Assert.Single(full.PaData!).Value);
        MessageAssert.List(FullEtypeInfo, entries, MessageAssert.Equal);
    }

    [Fact]
    public void TgsRep_round_trips()
    {
        RoundTrip(FullTgsRep, TgsRep.Decode, MessageAssert.Equal);
        Assert.Null(RoundTrip(MinimalTgsRep, TgsRep.Decode, MessageAssert.Equal).PaData);
    }

    [Theory]
    [InlineData(ApplicationTag.EncAsRepPart, 0x79)]
    [InlineData(ApplicationTag.EncTgsRepPart, 0x7A)]
    public void EncKdcRepPart_decodes_either_tag_and_re_encodes_with_the_tag_it_read(int tag, byte firstOctet)
    {
        var full = RoundTrip(FullEncKdcRepPart(tag), EncKdcRepPart.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalEncKdcRepPart(tag), EncKdcRepPart.Decode, MessageAssert.Equal);

        Assert.Equal(firstOctet, full.Encode()[0]);
        Assert.Equal(tag, full.ApplicationTag);
        Assert.Equal(tag, minimal.ApplicationTag);
        Assert.Null(minimal.KeyExpiration);
        Assert.Null(minimal.StartTime);
        Assert.Null(minimal.RenewTill);
        Assert.Null(minimal.Addresses);
        Assert.Null(minimal.EncryptedPaData);
        Assert.Equal(
            PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196 | PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196SessionKey,
            PaSupportedEncryptionTypes.Decode(Assert.Single(full.EncryptedPaData!).Value.Span));
    }

    [Fact]
    public void EncKdcRepPart_as_tag_from_the_TGS_form_is_a_one_byte_change()
    {
        var asForm = FullEncKdcRepPart(ApplicationTag.EncAsRepPart).Encode();
        var tgsForm = FullEncKdcRepPart(ApplicationTag.EncTgsRepPart).Encode();

        Assert.Equal(asForm.Length, tgsForm.Length);
        Assert.Equal(asForm[1..], tgsForm[1..]);
        Assert.Equal(ApplicationTag.EncTgsRepPart, EncKdcRepPart.Decode(tgsForm).ApplicationTag);
    }

    [Fact]
    public void EncTicketPart_round_trips_and_finds_its_PAC()
    {
        var full = RoundTrip(FullEncTicketPart, EncTicketPart.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalEncTicketPart, EncTicketPart.Decode, MessageAssert.Equal);

        Assert.Equal(Bytes(40, 9), AuthorizationData.FindPac(full.AuthorizationData)!.Value.ToArray());
        Assert.Null(minimal.StartTime);
        Assert.Null(minimal.RenewTill);
        Assert.Null(minimal.Addresses);
        Assert.Null(minimal.AuthorizationData);
        MessageAssert.Equal(TransitedEncoding.Empty, minimal.Transited);
    }

    [Fact]
    public void ApReq_round_trips()
    {
        RoundTrip(FullApReq, ApReq.Decode, MessageAssert.Equal);
        Assert.Equal(ApOptions.None, RoundTrip(MinimalApReq, ApReq.Decode, MessageAssert.Equal).Options);
    }

    [Fact]
    public void Authenticator_round_trips()
    {
        RoundTrip(FullAuthenticator, Authenticator.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalAuthenticator, Authenticator.Decode, MessageAssert.Equal);

        Assert.Null(minimal.Checksum);
        Assert.Null(minimal.Subkey);
        Assert.Null(minimal.SequenceNumber);
        Assert.Null(minimal.AuthorizationData);
    }

    [Fact]
    public void ApRep_and_EncApRepPart_round_trip()
    {
        RoundTrip(SampleApRep, ApRep.Decode, (e, a) => MessageAssert.Equal(e.EncryptedPart, a.EncryptedPart));
        RoundTrip(FullEncApRepPart, EncApRepPart.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalEncApRepPart, EncApRepPart.Decode, MessageAssert.Equal);

        Assert.Null(minimal.Subkey);
        Assert.Null(minimal.SequenceNumber);
    }

    [Fact]
    public void KrbError_round_trips_and_its_method_data_decodes()
    {
        var full = RoundTrip(FullKrbError, KrbError.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalKrbError, KrbError.Decode, MessageAssert.Equal);

        var padata = Assert.Single(PaData.DecodeMethodData(full.Data!.Value));
        Assert.Equal(PaDataType.EtypeInfo2, padata.Type);
        MessageAssert.List(FullEtypeInfo, EtypeInfo2Entry.DecodeList(padata.Value), MessageAssert.Equal);
        Assert.Null(minimal.ClientTime);
        Assert.Null(minimal.ClientMicroseconds);
        Assert.Null(minimal.ClientRealm);
        Assert.Null(minimal.ClientName);
        Assert.Null(minimal.Text);
        Assert.Null(minimal.Data);
    }

    [Fact]
    public void KrbError_with_typed_data_round_trips()
    {
        var error = new KrbError
        {
            ServerTime = Time,
            ServerMicroseconds = 1,
            ErrorCode = KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED,
            Realm = Realm,
            ServerName = Service,
            Data = TypedData.EncodeList(TypedDataList),
        };

        var decoded = RoundTrip(error, KrbError.Decode, MessageAssert.Equal);

        MessageAssert.List(TypedDataList, TypedData.DecodeList(decoded.Data!.Value), MessageAssert.Equal);
    }

    [Fact]
    public void KrbError_text_is_cut_to_the_maximum_on_write()
    {
        var error = new KrbError
        {
            ServerTime = Time,
            ServerMicroseconds = 0,
            ErrorCode = KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED,
            Realm = Realm,
            ServerName = Service,
            Text = new string('x', KrbError.MaxTextLength + 100),
        };

        var decoded = KrbError.Decode(error.Encode());

        Assert.Equal(new string('x', KrbError.MaxTextLength), decoded.Text);
    }

    [Fact]
    public void KrbError_text_is_not_cut_inside_a_surrogate_pair()
    {
        var text = new string('x', KrbError.MaxTextLength - 1) + "\U0001F600" + "tail";
        var error = new KrbError
        {
            ServerTime = Time,
            ServerMicroseconds = 0,
            ErrorCode = KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED,
            Realm = Realm,
            ServerName = Service,
            Text = text,
        };

        var decoded = KrbError.Decode(error.Encode());

        // The pair straddles the limit: it is dropped whole rather than written as a lone surrogate (U+FFFD).
        Assert.Equal(new string('x', KrbError.MaxTextLength - 1), decoded.Text);
    }

    [Fact]
    public void KrbCred_and_its_parts_round_trip()
    {
        RoundTrip(SampleKrbCred, KrbCred.Decode, MessageAssert.Equal);
        RoundTrip(FullEncKrbCredPart, EncKrbCredPart.Decode, MessageAssert.Equal);
        var minimal = RoundTrip(MinimalEncKrbCredPart, EncKrbCredPart.Decode, MessageAssert.Equal);
        var info = RoundTrip(MinimalKrbCredInfo, With(KrbCredInfo.Read), MessageAssert.Equal);

        Assert.Empty(minimal.TicketInfo);
        Assert.Null(minimal.Nonce);
        Assert.Null(minimal.Timestamp);
        Assert.Null(minimal.Microseconds);
        Assert.Null(minimal.SenderAddress);
        Assert.Null(minimal.RecipientAddress);
        Assert.Null(info.ClientRealm);
        Assert.Null(info.ClientName);
        Assert.Null(info.Flags);
        Assert.Null(info.AuthTime);
        Assert.Null(info.StartTime);
        Assert.Null(info.EndTime);
        Assert.Null(info.RenewTill);
        Assert.Null(info.ServerRealm);
        Assert.Null(info.ServerName);
        Assert.Null(info.Addresses);
    }

    [Fact]
    public void PaEncTsEnc_round_trips()
    {
        RoundTrip(FullPaEncTsEnc, PaEncTsEnc.Decode, MessageAssert.Equal);
        Assert.Null(RoundTrip(MinimalPaEncTsEnc, PaEncTsEnc.Decode, MessageAssert.Equal).Microseconds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PaPacRequest_round_trips(bool include)
    {
        var padata = new PaPacRequest { IncludePac = include }.ToPaData();

        Assert.Equal(PaDataType.PacRequest, padata.Type);
        Assert.Equal(include, PaPacRequest.Decode(padata.Value).IncludePac);
    }

    [Theory]
    [InlineData(PaPacOptions.Options.None, "3009A0070305" + "0000000000")]
    [InlineData(PaPacOptions.Options.Claims | PaPacOptions.Options.ResourceBasedConstrainedDelegation, "3009A0070305" + "0090000000")]
    [InlineData(PaPacOptions.Options.BranchAware | PaPacOptions.Options.ForwardToFullDc, "3009A0070305" + "0060000000")]
    public void PaPacOptions_round_trips_with_bit_zero_as_claims(PaPacOptions.Options flags, string expected)
    {
        var encoded = new PaPacOptions { Flags = flags }.Encode();

        Assert.Equal(expected, Convert.ToHexString(encoded));
        Assert.Equal(flags, PaPacOptions.Decode(encoded).Flags);
    }

    [Fact]
    public void KerbKeyList_request_and_reply_round_trip()
    {
        var request = new KerbKeyListReq { EncryptionTypes = [KerberosCloudKdc.Protocol.Crypto.EncryptionType.Aes256CtsHmacSha196, KerberosCloudKdc.Protocol.Crypto.EncryptionType.Rc4Hmac] };
        var reply = new KerbKeyListRep { Keys = [Key(1), Key(2)] };

        Assert.Equal("3006020112020117", Convert.ToHexString(request.Encode()));
        Assert.Equal(request.EncryptionTypes, KerbKeyListReq.Decode(request.Encode()).EncryptionTypes);
        MessageAssert.List(reply.Keys, KerbKeyListRep.Decode(reply.Encode()).Keys, MessageAssert.Equal);
        Assert.Empty(KerbKeyListReq.Decode(new KerbKeyListReq { EncryptionTypes = [] }.Encode()).EncryptionTypes);
        Assert.Empty(KerbKeyListRep.Decode(new KerbKeyListRep { Keys = [] }.Encode()).Keys);
    }

    [Fact]
    public void Method_data_and_lists_round_trip()
    {
        MessageAssert.List(PaDataList, PaData.DecodeMethodData(PaData.EncodeMethodData(PaDataList)), MessageAssert.Equal);
        MessageAssert.List(AuthData, AuthorizationData.DecodeList(AuthorizationData.EncodeList(AuthData)), MessageAssert.Equal);
        MessageAssert.List(TypedDataList, TypedData.DecodeList(TypedData.EncodeList(TypedDataList)), MessageAssert.Equal);
        MessageAssert.List(FullEtypeInfo, EtypeInfo2Entry.DecodeList(EtypeInfo2Entry.EncodeList(FullEtypeInfo)), MessageAssert.Equal);
        Assert.Empty(PaData.DecodeMethodData(PaData.EncodeMethodData([])));
    }

    [Theory]
    [InlineData(PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196 | PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196SessionKey, "30000000")]
    [InlineData(PaSupportedEncryptionTypes.Flags.Rc4Hmac | PaSupportedEncryptionTypes.Flags.Aes128CtsHmacSha196 | PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196, "1C000000")]
    [InlineData(PaSupportedEncryptionTypes.Flags.FastSupported | PaSupportedEncryptionTypes.Flags.ClaimsSupported | PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196, "10000500")]
    public void Supported_encryption_types_are_a_little_endian_32_bit_field(PaSupportedEncryptionTypes.Flags flags, string expected)
    {
        var padata = PaSupportedEncryptionTypes.ToPaData(flags);

        Assert.Equal(PaDataType.SupportedEtypes, padata.Type);
        Assert.Equal(expected, Convert.ToHexString(padata.Value.Span));
        Assert.Equal(flags, PaSupportedEncryptionTypes.Decode(padata.Value.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1C0000")]
    [InlineData("1C00000000")]
    public void Supported_encryption_types_of_the_wrong_length_are_refused(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => PaSupportedEncryptionTypes.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Decoded_request_body_keeps_the_exact_bytes_received()
    {
        var request = FullAsReq.Encode();
        var bodyBytes = KerberosAsn1.Encode(FullBody);

        var decoded = AsReq.Decode(request);

        Assert.Equal(bodyBytes, decoded.Body.Encoded.ToArray());
        Assert.Equal(bodyBytes, decoded.Body.GetChecksumInput().ToArray());
        Assert.True(FullBody.Encoded.IsEmpty);
        Assert.Equal(bodyBytes, FullBody.GetChecksumInput().ToArray());
        Assert.True(request.AsSpan().IndexOf(bodyBytes) > 0);
    }

    [Fact]
    public void Principal_names_compare_by_components_only()
    {
        var a = new PrincipalName(PrincipalNameType.Principal, "krbtgt", Realm);

        Assert.Equal(PrincipalName.Krbtgt(Realm), a);
        Assert.Equal(PrincipalName.Krbtgt(Realm).GetHashCode(), a.GetHashCode());
        Assert.NotEqual(PrincipalName.Krbtgt("OTHER.TEST"), a);
        Assert.NotEqual(new PrincipalName(PrincipalNameType.Principal, "KRBTGT", Realm), a);
        Assert.Equal("krbtgt/EXAMPLE.TEST", a.FullName);
        Assert.Equal(PrincipalNameType.ServiceInstance, PrincipalName.Krbtgt(Realm).Type);
    }

    [Fact]
    public void Principal_names_with_too_many_components_are_refused()
    {
        var atLimit = new PrincipalName(PrincipalNameType.Principal, Enumerable.Repeat("x", PrincipalName.MaxComponents).ToArray());
        var overLimit = new PrincipalName(PrincipalNameType.Principal, Enumerable.Repeat("x", PrincipalName.MaxComponents + 1).ToArray());

        Assert.Equal(PrincipalName.MaxComponents, KerberosAsn1.Decode(KerberosAsn1.Encode(atLimit), PrincipalName.Read).Components.Count);
        Assert.Throws<KerberosProtocolException>(() => KerberosAsn1.Decode(KerberosAsn1.Encode(overLimit), PrincipalName.Read));
    }

    [Fact]
    public void FindPac_looks_only_inside_AD_IF_RELEVANT()
    {
        var pac = Bytes(8, 1);
        var bare = new AuthorizationData { Type = AuthorizationDataType.Win2kPac, Data = pac };
        var otherInside = AuthorizationData.IfRelevant(new AuthorizationData { Type = AuthorizationDataType.KdcIssued, Data = pac });

        Assert.Null(AuthorizationData.FindPac(null));
        Assert.Null(AuthorizationData.FindPac([]));
        Assert.Null(AuthorizationData.FindPac([bare]));
        Assert.Null(AuthorizationData.FindPac([otherInside]));
        Assert.Equal(pac, AuthorizationData.FindPac([bare, otherInside, AuthorizationData.WrapPac(pac)])!.Value.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("3003020101")]
    [InlineData("04020102")]
    public void FindPac_refuses_a_malformed_AD_IF_RELEVANT(string hex)
    {
        var element = new AuthorizationData { Type = AuthorizationDataType.IfRelevant, Data = Convert.FromHexString(hex) };

        Assert.Throws<KerberosProtocolException>(() => AuthorizationData.FindPac([element]));
    }

    [Fact]
    public void Empty_ETYPE_INFO2_and_TYPED_DATA_are_refused()
    {
        Assert.Throws<KerberosProtocolException>(() => EtypeInfo2Entry.DecodeList(new byte[] { 0x30, 0x00 }));
        Assert.Throws<KerberosProtocolException>(() => TypedData.DecodeList(new byte[] { 0x30, 0x00 }));
    }
}
