using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Golden;

/// <summary>
/// Real MIT Kerberos messages: each decodes, re-encodes to the same bytes, and every encrypted layer
/// opens with the keys derived from the capture's passwords — so our DER, our string-to-key and our
/// RFC 3962 / RFC 8009 encryption all agree with MIT's.
/// </summary>
public class MitGoldenMessageTests
{
    [Theory]
    [MemberData(nameof(MitGoldenExchange.Files), MemberType = typeof(MitGoldenExchange))]
    public void Every_message_re_encodes_byte_for_byte(string scenario, string file)
    {
        var bytes = MitGoldenExchange.Load(scenario).Read(file);

        byte[] reencoded = KerberosMessage.PeekType(bytes) switch
        {
            MessageType.AsReq => AsReq.Decode(bytes).Encode(),
            MessageType.AsRep => AsRep.Decode(bytes).Encode(),
            MessageType.TgsReq => TgsReq.Decode(bytes).Encode(),
            MessageType.TgsRep => TgsRep.Decode(bytes).Encode(),
            MessageType.KrbError => KrbError.Decode(bytes).Encode(),
            var other => throw new InvalidOperationException($"Unexpected {other} in {file}"),
        };

        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(reencoded));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Preauth_required_error_tells_the_etype_and_salt(string scenario)
    {
        var exchange = MitGoldenExchange.Load(scenario);
        var error = KrbError.Decode(exchange.Read("krb-error-preauth-required"));

        Assert.Equal(KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED, error.ErrorCode);
        Assert.Equal(MitGoldenExchange.Realm, error.Realm);
        Assert.Equal(PrincipalName.Krbtgt(MitGoldenExchange.Realm), error.ServerName);
        var methods = PaData.DecodeMethodData(error.Data!.Value);
        var etypeInfo = EtypeInfo2Entry.DecodeList(methods.Single(m => m.Type == PaDataType.EtypeInfo2).Value);
        var entry = Assert.Single(etypeInfo);
        Assert.Equal(exchange.EncryptionType, entry.EncryptionType);
        Assert.Equal("EXAMPLE.TESTalice", entry.Salt);
        Assert.Contains(methods, m => m.Type == PaDataType.EncTimestamp);
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void As_exchange_opens_with_the_password_key(string scenario)
    {
        var exchange = MitGoldenExchange.Load(scenario);
        var request = AsReq.Decode(exchange.Read("as-req"));
        var reply = AsRep.Decode(exchange.Read("as-rep"));

        Assert.Equal(new PrincipalName(PrincipalNameType.Principal, "alice"), request.Body.ClientName);
        Assert.Contains(exchange.EncryptionType, request.Body.EncryptionTypes);

        // PA-ENC-TIMESTAMP: the client's clock, under its password key (usage 1).
        var timestampData = EncryptedData.Read(new AsnReader(
            request.FindPaData(PaDataType.EncTimestamp)!.Value, KerberosAsn1.Rules));
        var timestamp = PaEncTsEnc.Decode(timestampData.Decrypt(exchange.UserKey, KeyUsage.PaEncTimestamp));

        // AS-REP enc-part: usage 3 under the same key; the nonce ties it to the request.
        var encPartBytes = reply.EncryptedPart.Decrypt(exchange.UserKey, KeyUsage.AsRepEncPart);
        var encPart = EncKdcRepPart.Decode(encPartBytes);
        Assert.Equal(request.Body.Nonce, encPart.Nonce);
        Assert.Equal(PrincipalName.Krbtgt(MitGoldenExchange.Realm), encPart.ServerName);
        Assert.Equal(exchange.EncryptionType, encPart.Key.KeyType);
        Assert.True(encPart.Flags.HasFlag(TicketFlags.Initial) && encPart.Flags.HasFlag(TicketFlags.PreAuthent));
        Assert.InRange((encPart.AuthTime - timestamp.Timestamp).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal(Convert.ToHexString(encPartBytes), Convert.ToHexString(encPart.Encode()));

        // With a wrong password the integrity check, not the parser, refuses.
        var wrongKey = KerberosEncryption.StringToKey(exchange.EncryptionType, "wrong", "EXAMPLE.TESTalice");
        Assert.Throws<KerberosIntegrityException>(() => reply.EncryptedPart.Decrypt(wrongKey, KeyUsage.AsRepEncPart));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Tgt_opens_with_the_krbtgt_key_and_carries_an_mit_signed_pac(string scenario)
    {
        var exchange = MitGoldenExchange.Load(scenario);
        var reply = AsRep.Decode(exchange.Read("as-rep"));
        var sessionKey = EncKdcRepPart.Decode(reply.EncryptedPart.Decrypt(exchange.UserKey, KeyUsage.AsRepEncPart)).Key;

        var krbtgtKey = MitGoldenExchange.KrbtgtKey(reply.Ticket.EncryptedPart.EncryptionType);
        var ticketBytes = reply.Ticket.EncryptedPart.Decrypt(krbtgtKey, KeyUsage.TicketEncPart);
        var ticket = EncTicketPart.Decode(ticketBytes);

        Assert.Equal(2u, reply.Ticket.EncryptedPart.KeyVersion);
        Assert.Equal("alice", ticket.ClientName.FullName);
        Assert.Equal(MitGoldenExchange.Realm, ticket.ClientRealm);
        Assert.Equal(sessionKey.KeyValue.ToArray(), ticket.Key.KeyValue.ToArray());
        Assert.Equal(Convert.ToHexString(ticketBytes), Convert.ToHexString(ticket.Encode()));

        // MIT 1.20 puts a PAC in its TGTs: an independent PAC encoder whose signatures we must verify.
        var pacBytes = AuthorizationData.FindPac(ticket.AuthorizationData)!.Value;
        var pac = PrivilegeAttributeCertificate.Decode(pacBytes.Span);
        Assert.Equal("alice", pac.ClientInfo!.Name);
        Assert.True(PacSigner.VerifyServerSignature(pacBytes.Span, krbtgtKey));
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes.Span, krbtgtKey));
        Assert.False(PacSigner.VerifyServerSignature(pacBytes.Span, MitGoldenExchange.ServiceKey(krbtgtKey.EncryptionType)));
    }

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Tgs_exchange_authenticator_checksum_and_reply_verify(string scenario)
    {
        var exchange = MitGoldenExchange.Load(scenario);
        var asReply = AsRep.Decode(exchange.Read("as-rep"));
        var sessionKey = EncKdcRepPart.Decode(asReply.EncryptedPart.Decrypt(exchange.UserKey, KeyUsage.AsRepEncPart)).Key.ToKey();
        var request = TgsReq.Decode(exchange.Read("tgs-req"));
        var reply = TgsRep.Decode(exchange.Read("tgs-rep"));

        var apReq = request.FindApReq()!;
        Assert.Equal(asReply.Ticket.Encode(), apReq.Ticket.Encode());
        var authenticator = Authenticator.Decode(apReq.Authenticator.Decrypt(sessionKey, KeyUsage.PaTgsReqAuthenticator));
        Assert.Equal("alice", authenticator.ClientName.FullName);

        // The checksum covers the request body exactly as sent (usage 6, keyed with the session key).
        var checksum = authenticator.Checksum!;
        Assert.Equal(KerberosChecksum.ForEncryptionType(exchange.EncryptionType), checksum.Type);
        Assert.True(KerberosChecksum.Verify(checksum.Type, sessionKey, KeyUsage.PaTgsReqChecksum, request.Body.Encoded.Span, checksum.Value.Span));
        Assert.Equal(request.Body.Encoded.ToArray(), KerberosAsn1.Encode(request.Body));

        Assert.NotNull(authenticator.Subkey);

        // MIT 1.20 armors TGS requests with FAST (RFC 6113) once the KDC advertised it during kinit, using
        // the TGT as implicit armor; the reply key is then strengthened, so the enc-part opens only through
        // the FAST reply (see the FAST tests). Here: the armoring is present on both sides.
        Assert.NotNull(request.FindPaData(PaDataType.FxFast));
        Assert.Contains(reply.PaData!, p => p.Type == PaDataType.FxFast);

        var serviceKey = MitGoldenExchange.ServiceKey(reply.Ticket.EncryptedPart.EncryptionType);
        var serviceTicket = EncTicketPart.Decode(reply.Ticket.EncryptedPart.Decrypt(serviceKey, KeyUsage.TicketEncPart));
        Assert.Equal("alice", serviceTicket.ClientName.FullName);
        Assert.Equal("HTTP/web.example.test", reply.Ticket.ServerName.FullName);
        var pacBytes = AuthorizationData.FindPac(serviceTicket.AuthorizationData)!.Value;
        Assert.True(PacSigner.VerifyServerSignature(pacBytes.Span, serviceKey));
        Assert.True(PacSigner.VerifyKdcSignature(pacBytes.Span, MitGoldenExchange.KrbtgtKey(asReply.Ticket.EncryptedPart.EncryptionType)));
    }
}
