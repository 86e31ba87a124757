using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Crypto;
using KerberosCloudKdc.Protocol.Tests.Golden;

namespace KerberosCloudKdc.Protocol.Tests.Fast;

/// <summary>
/// MIT 1.20's FAST-armored TGS exchange (kvno after a kinit that learned the KDC supports FAST), opened
/// layer by layer with our FAST types and key schedule, and re-encoded byte for byte. What the bytes
/// showed, for the KDC: no armor field (implicit TGS armor); armor key = KRB-FX-CF2(authenticator subkey,
/// TGT session key, "subkeyarmor", "ticketarmor"); req-checksum usage 50 over the PA-TGS-REQ AP-REQ;
/// enc-fast-req usage 51; enc-fast-rep usage 52 with strengthen-key and finished both present; TGS-REP
/// enc-part under KRB-FX-CF2(strengthen-key, subkey, "strengthenkey", "replykey") with usage 9.
/// </summary>
public class MitFastGoldenTests
{
    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Tgs_request_uses_implicit_armor_and_its_checksum_covers_the_pa_tgs_req_ap_req(string scenario)
    {
        var tgs = MitFastTgs.Load(scenario);
        var armored = PaFxFastRequest.Decode(tgs.FastRequestPaData.Value).ArmoredData;

        // No armor field: the TGT in PA-TGS-REQ is the armor (RFC 6113 §5.4.1.1 implicit TGS armor).
        Assert.Null(armored.Armor);
        Assert.Equal(KerberosChecksum.ForEncryptionType(tgs.Exchange.EncryptionType), armored.RequestChecksum.Type);
        Assert.Equal(tgs.Exchange.EncryptionType, tgs.ArmorKey.EncryptionType);

        // RFC 6113 §5.4.2 for TGS: usage 50 over the AP-REQ bytes in PA-TGS-REQ, not over the req-body.
        Assert.True(armored.VerifyChecksum(tgs.ArmorKey, tgs.PaTgsReq.Value.Span));
        Assert.False(armored.VerifyChecksum(tgs.ArmorKey, tgs.Request.Body.Encoded.Span));

        // Neither input key on its own is the armor key.
        Assert.False(armored.VerifyChecksum(tgs.Subkey, tgs.PaTgsReq.Value.Span));
        Assert.False(armored.VerifyChecksum(tgs.TgtSessionKey, tgs.PaTgsReq.Value.Span));

        // Checksums are deterministic, so a KDC-side rebuild reproduces MIT's bytes exactly.
        var rebuilt = KrbFastArmoredReq.Create(tgs.ArmorKey, armored.DecryptFastRequest(tgs.ArmorKey), tgs.PaTgsReq.Value.Span, new SeededRandom(1));
        Assert.Equal(Convert.ToHexString(armored.RequestChecksum.Value.Span), Convert.ToHexString(rebuilt.RequestChecksum.Value.Span));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Enc_fast_req_opens_with_the_armor_key_to_the_real_request(string scenario)
    {
        var tgs = MitFastTgs.Load(scenario);
        var armored = PaFxFastRequest.Decode(tgs.FastRequestPaData.Value).ArmoredData;

        var plaintext = armored.EncryptedFastRequest.Decrypt(tgs.ArmorKey, KeyUsage.FastEncrypted);
        var inner = KrbFastReq.Decode(plaintext);

        Assert.Equal(FastOptions.None, inner.Options);
        Assert.Empty(inner.PaData); // MIT keeps PA-TGS-REQ outside; the inner padata list is present but empty.
        // MIT sends the same body inside and outside (RFC 6113 lets the outer one differ; the inner one wins).
        Assert.Equal(Convert.ToHexString(tgs.Request.Body.Encoded.Span), Convert.ToHexString(inner.Body.Encoded.Span));
        Assert.Equal(tgs.Request.Body.Nonce, inner.Body.Nonce);
        Assert.Equal("HTTP/web.example.test", inner.Body.ServerName!.FullName);
        Assert.Equal(Convert.ToHexString(plaintext), Convert.ToHexString(inner.Encode()));

        // Other keys and usages fail the integrity check rather than the parser.
        Assert.Throws<KerberosIntegrityException>(() => armored.DecryptFastRequest(tgs.TgtSessionKey));
        Assert.Throws<KerberosIntegrityException>(() => armored.DecryptFastRequest(tgs.Subkey));
        Assert.Throws<KerberosIntegrityException>(() => armored.EncryptedFastRequest.Decrypt(tgs.ArmorKey, KeyUsage.FastReply));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Fast_reply_opens_with_the_armor_key_and_finishes_with_the_ticket_checksum(string scenario)
    {
        var tgs = MitFastTgs.Load(scenario);
        var armored = PaFxFastReply.Decode(tgs.FastReplyPaData.Value).ArmoredData;

        var plaintext = armored.EncryptedFastResponse.Decrypt(tgs.ArmorKey, KeyUsage.FastReply);
        var response = KrbFastResponse.Decode(plaintext);

        // The outer reply's only padata is PA-FX-FAST; the inner list replaces it and is empty.
        Assert.Equal(PaDataType.FxFast, Assert.Single(tgs.Reply.PaData!).Type);
        Assert.Empty(response.PaData);
        Assert.Equal(tgs.Request.Body.Nonce, response.Nonce);

        // "MUST be present for TGS": a fresh strengthen-key of the armor key's enctype.
        Assert.NotNull(response.StrengthenKey);
        Assert.Equal(tgs.ArmorKey.EncryptionType, response.StrengthenKey.KeyType);
        Assert.Equal(KerberosEncryption.KeySize(tgs.ArmorKey.EncryptionType), response.StrengthenKey.KeyValue.Length);

        // finished is present for TGS too (MIT's client refuses a final reply without it).
        var finished = response.Finished;
        Assert.NotNull(finished);
        Assert.Equal("alice", finished.ClientName.FullName);
        Assert.Equal(MitGoldenExchange.Realm, finished.ClientRealm);
        Assert.Equal(KerberosChecksum.ForEncryptionType(tgs.ArmorKey.EncryptionType), finished.TicketChecksum.Type);
        Assert.True(finished.VerifyTicketChecksum(tgs.ArmorKey, tgs.Reply.Ticket));
        Assert.False(finished.VerifyTicketChecksum(tgs.ArmorKey, AsRep.Decode(tgs.Exchange.Read("as-rep")).Ticket));
        var rebuilt = KrbFastFinished.ComputeTicketChecksum(tgs.ArmorKey, tgs.Reply.Ticket);
        Assert.Equal(Convert.ToHexString(finished.TicketChecksum.Value.Span), Convert.ToHexString(rebuilt.Value.Span));

        Assert.Equal(Convert.ToHexString(plaintext), Convert.ToHexString(response.Encode()));
        Assert.Throws<KerberosIntegrityException>(() => armored.DecryptResponse(tgs.Subkey));
        Assert.Throws<KerberosIntegrityException>(() => armored.EncryptedFastResponse.Decrypt(tgs.ArmorKey, KeyUsage.FastEncrypted));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Tgs_reply_enc_part_opens_with_the_strengthened_subkey_and_usage_9(string scenario)
    {
        var tgs = MitFastTgs.Load(scenario);
        var response = PaFxFastReply.Decode(tgs.FastReplyPaData.Value).ArmoredData.DecryptResponse(tgs.ArmorKey);
        var strengthenKey = response.StrengthenKey!.ToKey();

        // Reply key = the PA-TGS-REQ authenticator subkey, strengthened; the usage stays 9 (subkey), as without FAST.
        var replyKey = FastArmor.StrengthenReplyKey(strengthenKey, tgs.Subkey);
        var plaintext = tgs.Reply.EncryptedPart.Decrypt(replyKey, KeyUsage.TgsRepEncPartSubkey);
        var encPart = EncKdcRepPart.Decode(plaintext);

        Assert.Equal(ApplicationTag.EncTgsRepPart, encPart.ApplicationTag);
        Assert.Equal(tgs.Request.Body.Nonce, encPart.Nonce);
        Assert.Equal("HTTP/web.example.test", encPart.ServerName.FullName);
        Assert.Equal(MitGoldenExchange.Realm, encPart.ServerRealm);
        Assert.Equal(Convert.ToHexString(plaintext), Convert.ToHexString(encPart.Encode()));

        // The service ticket's session key is the one in the enc-part.
        var serviceKey = MitGoldenExchange.ServiceKey(tgs.Reply.Ticket.EncryptedPart.EncryptionType);
        var ticket = EncTicketPart.Decode(tgs.Reply.Ticket.EncryptedPart.Decrypt(serviceKey, KeyUsage.TicketEncPart));
        Assert.Equal(ticket.Key.KeyValue.ToArray(), encPart.Key.KeyValue.ToArray());

        // Without strengthening, with the session key, or with usage 8, the reply does not open.
        Assert.Throws<KerberosIntegrityException>(() => tgs.Reply.EncryptedPart.Decrypt(tgs.Subkey, KeyUsage.TgsRepEncPartSubkey));
        Assert.Throws<KerberosIntegrityException>(() => tgs.Reply.EncryptedPart.Decrypt(replyKey, KeyUsage.TgsRepEncPartSessionKey));
        var strengthenedSession = FastArmor.StrengthenReplyKey(strengthenKey, tgs.TgtSessionKey);
        Assert.Throws<KerberosIntegrityException>(() => tgs.Reply.EncryptedPart.Decrypt(strengthenedSession, KeyUsage.TgsRepEncPartSessionKey));
        Assert.Throws<KerberosIntegrityException>(() => tgs.Reply.EncryptedPart.Decrypt(FastArmor.StrengthenReplyKey(tgs.Subkey, strengthenKey), KeyUsage.TgsRepEncPartSubkey));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Every_fast_structure_re_encodes_byte_for_byte(string scenario)
    {
        var tgs = MitFastTgs.Load(scenario);
        var request = PaFxFastRequest.Decode(tgs.FastRequestPaData.Value);
        var reply = PaFxFastReply.Decode(tgs.FastReplyPaData.Value);

        AssertSame(tgs.FastRequestPaData.Value, request.Encode());
        AssertSame(tgs.FastReplyPaData.Value, reply.Encode());
        AssertSame(tgs.FastRequestPaData.Value, request.ToPaData().Value);
        Assert.Equal(PaDataType.FxFast, reply.ToPaData().Type);

        var armoredReq = KrbFastArmoredReq.Decode(request.ArmoredData.Encode());
        AssertSame(request.ArmoredData.Encode(), armoredReq.Encode());
        var armoredRep = KrbFastArmoredRep.Decode(reply.ArmoredData.Encode());
        AssertSame(reply.ArmoredData.Encode(), armoredRep.Encode());

        var finished = reply.ArmoredData.DecryptResponse(tgs.ArmorKey).Finished!;
        AssertSame(finished.Encode(), KrbFastFinished.Decode(finished.Encode()).Encode());

        // The whole recorded messages still re-encode with the FAST padata inside them.
        AssertSame(tgs.Exchange.Read("tgs-req"), tgs.Request.Encode());
        AssertSame(tgs.Exchange.Read("tgs-rep"), tgs.Reply.Encode());
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Kdc_advertises_fast_with_an_empty_pa_fx_fast_and_kinit_does_not_armor_the_as_req(string scenario)
    {
        var exchange = MitGoldenExchange.Load(scenario);

        // MIT krb5kdc says "FAST supported" with a PA-FX-FAST of zero length in the PREAUTH_REQUIRED
        // METHOD-DATA; that is a marker, not a PA-FX-FAST-REPLY, so it must not be decoded as one.
        var methods = PaData.DecodeMethodData(KrbError.Decode(exchange.Read("krb-error-preauth-required")).Data!.Value);
        Assert.True(methods.Single(m => m.Type == PaDataType.FxFast).Value.IsEmpty);
        Assert.Throws<KerberosProtocolException>(() => PaFxFastReply.Decode(ReadOnlyMemory<byte>.Empty));

        // kinit had no armor ccache, so its AS-REQ is unarmored (cookie, encrypted timestamp, freshness,
        // PA-REQ-ENC-PA-REP) and the AS-REP carries no PA-FX-FAST.
        var asReq = AsReq.Decode(exchange.Read("as-req"));
        Assert.Equal(
            [PaDataType.FxCookie, PaDataType.EncTimestamp, PaDataType.AsFreshness, PaDataType.ReqEncPaRep],
            asReq.PaData!.Select(p => p.Type));
        Assert.DoesNotContain(AsRep.Decode(exchange.Read("as-rep")).PaData ?? [], p => p.Type == PaDataType.FxFast);
    }

    private static void AssertSame(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual) =>
        Assert.Equal(Convert.ToHexString(expected.Span), Convert.ToHexString(actual.Span));
}
