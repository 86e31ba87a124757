using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Crypto;
using KerberosCloudKdc.Protocol.Tests.Golden;

namespace KerberosCloudKdc.Protocol.Tests.Fast;

/// <summary>FAST messages built in code: an armored AS exchange with explicit AP-REQ armor, end to end.</summary>
public class FastRoundTripTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 14, 54, 13, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(MitGoldenExchange.Scenarios), MemberType = typeof(MitGoldenExchange))]
    public void Explicitly_armored_as_exchange_round_trips_and_both_sides_agree_on_the_keys(string scenario)
    {
        var random = new SeededRandom(6113);
        var exchange = MitGoldenExchange.Load(scenario);

        // Armor: an AP-REQ for MIT's recorded TGT (standing in for a host TGT), with a fresh subkey.
        var asRep = AsRep.Decode(exchange.Read("as-rep"));
        var tgtSessionKey = EncKdcRepPart.Decode(asRep.EncryptedPart.Decrypt(exchange.UserKey, KeyUsage.AsRepEncPart)).Key.ToKey();
        var armorSubkey = KerberosEncryption.RandomKey(exchange.EncryptionType, random);
        var armorAuthenticator = new Authenticator
        {
            ClientRealm = MitGoldenExchange.Realm,
            ClientName = new PrincipalName(PrincipalNameType.Principal, "alice"),
            ClientMicroseconds = 42,
            ClientTime = Now,
            Subkey = EncryptionKey.From(armorSubkey),
        };
        var armorApReq = new ApReq
        {
            Ticket = asRep.Ticket,
            Authenticator = EncryptedData.Encrypt(tgtSessionKey, KeyUsage.ApReqAuthenticator, armorAuthenticator.Encode(), random),
        };
        var clientArmorKey = FastArmor.ApRequestArmorKey(armorSubkey, tgtSessionKey);

        // Inner request: PA-ENC-CHALLENGE (an EncryptedData, usage 54 under the client challenge key).
        var userKey = exchange.UserKey;
        var challenge = EncryptedData.Encrypt(
            FastArmor.ClientChallengeKey(clientArmorKey, userKey),
            KeyUsage.EncChallengeClient,
            new PaEncTsEnc { Timestamp = Now, Microseconds = 7 }.Encode(),
            random);
        var body = new KdcReqBody
        {
            Options = KdcOptions.Forwardable | KdcOptions.Canonicalize,
            ClientName = new PrincipalName(PrincipalNameType.Principal, "alice"),
            Realm = MitGoldenExchange.Realm,
            ServerName = PrincipalName.Krbtgt(MitGoldenExchange.Realm),
            Till = Now.AddHours(10),
            Nonce = 0xDEADBEEF,
            EncryptionTypes = [exchange.EncryptionType],
        };
        var fastReq = new KrbFastReq
        {
            Options = FastOptions.HideClientNames | FastOptions.KdcFollowReferrals,
            PaData = [new PaData { Type = PaDataType.EncryptedChallenge, Value = KerberosAsn1.Encode(challenge) }],
            Body = body,
        };
        var outerBody = KerberosAsn1.Encode(body);
        var paFast = new PaFxFastRequest
        {
            ArmoredData = KrbFastArmoredReq.Create(clientArmorKey, fastReq, outerBody, random, KrbFastArmor.FromApRequest(armorApReq)),
        }.ToPaData();
        var asReq = new AsReq { PaData = [paFast], Body = body };

        // KDC side: parse, open the armor with the krbtgt key, derive the same armor key, verify, decrypt.
        var received = AsReq.Decode(asReq.Encode());
        var armored = PaFxFastRequest.Decode(received.FindPaData(PaDataType.FxFast)!.Value).ArmoredData;
        var receivedArmor = armored.Armor!.ReadApRequest();
        var krbtgtKey = MitGoldenExchange.KrbtgtKey(receivedArmor.Ticket.EncryptedPart.EncryptionType);
        var armorTicket = EncTicketPart.Decode(receivedArmor.Ticket.EncryptedPart.Decrypt(krbtgtKey, KeyUsage.TicketEncPart));
        var authenticator = Authenticator.Decode(receivedArmor.Authenticator.Decrypt(armorTicket.Key.ToKey(), KeyUsage.ApReqAuthenticator));
        var kdcArmorKey = FastArmor.ApRequestArmorKey(authenticator, armorTicket);
        Assert.Equal(clientArmorKey.Value.ToArray(), kdcArmorKey.Value.ToArray());

        Assert.True(armored.VerifyChecksum(kdcArmorKey, received.Body.Encoded.Span));
        var inner = armored.DecryptFastRequest(kdcArmorKey);
        Assert.Equal(fastReq.Options, inner.Options);
        Assert.Equal(Convert.ToHexString(fastReq.Encode()), Convert.ToHexString(inner.Encode()));
        var receivedChallenge = EncryptedData.Read(new AsnReader(inner.FindPaData(PaDataType.EncryptedChallenge)!.Value, KerberosAsn1.Rules));
        var timestamp = PaEncTsEnc.Decode(receivedChallenge.Decrypt(FastArmor.ClientChallengeKey(kdcArmorKey, userKey), KeyUsage.EncChallengeClient));
        Assert.Equal(Now, timestamp.Timestamp);
        Assert.Throws<KerberosIntegrityException>(() => receivedChallenge.Decrypt(FastArmor.KdcChallengeKey(kdcArmorKey, userKey), KeyUsage.EncChallengeClient));

        // Reply: strengthen-key, finished over the reply's ticket, the request nonce.
        var strengthenKey = KerberosEncryption.RandomKey(exchange.EncryptionType, random);
        var response = new KrbFastResponse
        {
            PaData = [new PaData { Type = PaDataType.EtypeInfo2, Value = new byte[] { 0x30, 0x00 } }],
            StrengthenKey = EncryptionKey.From(strengthenKey),
            Finished = new KrbFastFinished
            {
                Timestamp = Now,
                Microseconds = 999_999,
                ClientRealm = MitGoldenExchange.Realm,
                ClientName = new PrincipalName(PrincipalNameType.Principal, "alice"),
                TicketChecksum = KrbFastFinished.ComputeTicketChecksum(kdcArmorKey, asRep.Ticket),
            },
            Nonce = inner.Body.Nonce,
        };
        var replyPa = new PaFxFastReply { ArmoredData = KrbFastArmoredRep.Create(kdcArmorKey, response, random) }.ToPaData();

        var opened = PaFxFastReply.Decode(replyPa.Value).ArmoredData.DecryptResponse(clientArmorKey);
        Assert.Equal(Convert.ToHexString(response.Encode()), Convert.ToHexString(opened.Encode()));
        Assert.Equal(body.Nonce, opened.Nonce);
        Assert.True(opened.Finished!.VerifyTicketChecksum(clientArmorKey, asRep.Ticket));

        var replyKey = FastArmor.StrengthenReplyKey(opened.StrengthenKey!.ToKey(), userKey);
        Assert.Equal(exchange.EncryptionType, replyKey.EncryptionType);
        Assert.NotEqual(userKey.Value.ToArray(), replyKey.Value.ToArray());
    }

    [Fact]
    public void Key_schedule_peppers_are_distinct_and_the_first_key_sets_the_enctype()
    {
        var random = new SeededRandom(5);
        var aes128 = KerberosEncryption.RandomKey(EncryptionType.Aes128CtsHmacSha196, random);
        var aes256 = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);

        var implicitArmor = FastArmor.TgsImplicitArmorKey(aes128, aes256);
        var apArmor = FastArmor.ApRequestArmorKey(aes128, aes256);
        var explicitTgs = FastArmor.TgsExplicitArmorKey(apArmor, aes256);
        Assert.Equal(EncryptionType.Aes128CtsHmacSha196, implicitArmor.EncryptionType);
        Assert.Equal(16, explicitTgs.Value.Length);
        // Implicit TGS armor and AP-REQ armor are the same computation (RFC 6113 §5.4.1.1).
        Assert.Equal(implicitArmor.Value.ToArray(), apArmor.Value.ToArray());

        var derived = new[]
        {
            implicitArmor, explicitTgs,
            FastArmor.StrengthenReplyKey(aes128, aes256),
            FastArmor.ClientChallengeKey(aes128, aes256),
            FastArmor.KdcChallengeKey(aes128, aes256),
        };
        Assert.Equal(derived.Length, derived.Select(k => Convert.ToHexString(k.Value)).Distinct().Count());
    }

    [Fact]
    public void Fast_options_encode_as_kerberos_flags_and_critical_bits_are_0_to_15()
    {
        Assert.True(FastOptions.CriticalMask.HasFlag(FastOptions.Reserved));
        Assert.True(FastOptions.CriticalMask.HasFlag(FastOptions.HideClientNames));
        Assert.Equal(FastOptions.None, FastOptions.KdcFollowReferrals & FastOptions.CriticalMask);

        var request = new KrbFastReq
        {
            Options = FastOptions.KdcFollowReferrals,
            PaData = [],
            Body = new KdcReqBody
            {
                Options = KdcOptions.None,
                Realm = "R",
                Till = Now,
                Nonce = 1,
                EncryptionTypes = [EncryptionType.Aes256CtsHmacSha196],
            },
        };
        var encoded = request.Encode();
        // SEQUENCE { [0] BIT STRING (0 unused bits) 00 00 80 00, [1] SEQUENCE {}, [2] KDC-REQ-BODY }:
        // bit 16 is the high bit of the third octet, and the empty padata list is still written.
        Assert.Equal(0x30, encoded[0]);
        Assert.Contains("A00703050000008000A1023000", Convert.ToHexString(encoded), StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexString(encoded), Convert.ToHexString(KrbFastReq.Decode(encoded).Encode()));
    }

    [Fact]
    public void Unknown_choice_alternatives_and_armor_types_are_refused()
    {
        // [1] { SEQUENCE {} } is a syntactically fine but unknown PA-FX-FAST alternative.
        byte[] unknownAlternative = [0xA1, 0x02, 0x30, 0x00];
        Assert.Throws<KerberosProtocolException>(() => PaFxFastRequest.Decode(unknownAlternative));
        Assert.Throws<KerberosProtocolException>(() => PaFxFastReply.Decode(unknownAlternative));

        var armor = KrbFastArmor.Decode(new KrbFastArmor { Type = (FastArmorType)2, Value = new byte[] { 1, 2 } }.Encode());
        Assert.Equal((FastArmorType)2, armor.Type);
        Assert.Throws<KerberosProtocolException>(() => armor.ReadApRequest());

        // An armor AP-REQ whose authenticator has no subkey gives no armor key.
        var noSubkey = new Authenticator
        {
            ClientRealm = "R",
            ClientName = new PrincipalName(PrincipalNameType.Principal, "a"),
            ClientMicroseconds = 0,
            ClientTime = Now,
        };
        var ticket = new EncTicketPart
        {
            Flags = TicketFlags.Initial,
            Key = EncryptionKey.From(KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, new SeededRandom(1))),
            ClientRealm = "R",
            ClientName = noSubkey.ClientName,
            AuthTime = Now,
            EndTime = Now.AddHours(1),
        };
        Assert.Throws<KerberosProtocolException>(() => FastArmor.ApRequestArmorKey(noSubkey, ticket));
    }

    [Fact]
    public void Checksum_of_a_foreign_type_is_a_protocol_error_not_a_silent_pass()
    {
        var random = new SeededRandom(9);
        var armorKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);
        var request = new KrbFastReq
        {
            Options = FastOptions.None,
            PaData = [],
            Body = new KdcReqBody { Options = KdcOptions.None, Realm = "R", Till = Now, Nonce = 1, EncryptionTypes = [EncryptionType.Aes256CtsHmacSha196] },
        };
        var armored = KrbFastArmoredReq.Create(armorKey, request, [1, 2, 3], random);
        Assert.True(armored.VerifyChecksum(armorKey, [1, 2, 3]));
        Assert.False(armored.VerifyChecksum(armorKey, [1, 2, 4]));

        // CRC32 (type 1) is unkeyed; RFC 6113 requires a keyed checksum, so it is refused outright.
        var crc = new KrbFastArmoredReq { RequestChecksum = new Checksum { Type = (ChecksumType)1, Value = new byte[4] }, EncryptedFastRequest = armored.EncryptedFastRequest };
        Assert.Throws<KerberosProtocolException>(() => crc.VerifyChecksum(armorKey, [1, 2, 3]));
    }
}
