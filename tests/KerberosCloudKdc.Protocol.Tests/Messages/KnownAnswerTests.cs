using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>Encodings checked against bytes derived by hand from the X.690 DER rules.</summary>
public sealed class KnownAnswerTests
{
    // PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }
    //   1B 06 "krbtgt"                         8 octets
    //   1B 0C "EXAMPLE.TEST"                   14 octets
    //   30 16 <22>                             24 octets
    //   A1 18 <24>                             26 octets
    //   A0 03 02 01 02                         5 octets (NT-SRV-INST = 2)
    //   30 1F <31>
    private const string KrbtgtName =
        "301F" + "A003020102" + "A118" + "3016" + "1B06" + "6B7262746774" + "1B0C" + "4558414D504C452E54455354";

    [Fact]
    public void Krbtgt_principal_name()
    {
        var encoded = KerberosAsn1.Encode(PrincipalName.Krbtgt("EXAMPLE.TEST"));

        Assert.Equal(KrbtgtName, Der.ToHex(encoded));
        Assert.Equal(["krbtgt", "EXAMPLE.TEST"], KerberosAsn1.Decode(Der.Hex(KrbtgtName), PrincipalName.Read).Components);
    }

    [Theory]
    [InlineData(true, "3005A0030101FF")]
    [InlineData(false, "3005A003010100")]
    public void Pa_pac_request(bool include, string expected)
    {
        Assert.Equal(expected, Der.ToHex(new PaPacRequest { IncludePac = include }.Encode()));
        Assert.Equal(include, PaPacRequest.Decode(Der.Hex(expected)).IncludePac);
    }

    [Theory]
    [InlineData("3005A003010101")] // BER TRUE, not DER
    [InlineData("3005A00302010F")] // INTEGER
    [InlineData("3005A1030101FF")] // [1]
    [InlineData("3000")] // missing include-pac
    [InlineData("3005A0030101FF00")] // trailing data
    [InlineData("3008A0030101FF020100")] // extra field
    public void Malformed_pa_pac_request_is_refused(string hex)
    {
        Assert.Throws<KerberosProtocolException>(() => PaPacRequest.Decode(Der.Hex(hex)));
    }

    [Fact]
    public void Encryption_key()
    {
        // A0 03 02 01 11 (aes128, 17) + A1 12 04 10 <16 octets>: 5 + 20 = 25 = 0x19
        var key = new EncryptionKey { KeyType = EncryptionType.Aes128CtsHmacSha196, KeyValue = new byte[16] };

        Assert.Equal("3019A003020111A1120410" + new string('0', 32), Der.ToHex(KerberosAsn1.Encode(key)));
    }

    [Fact]
    public void Encrypted_data_with_the_largest_kvno_uses_the_signed_form()
    {
        // A0 03 02 01 12 + A1 03 02 01 FF (kvno 0xFFFFFFFF as -1) + A2 05 04 03 01 02 03 = 17 = 0x11
        var data = new EncryptedData { EncryptionType = EncryptionType.Aes256CtsHmacSha196, KeyVersion = uint.MaxValue, Cipher = new byte[] { 1, 2, 3 } };

        Assert.Equal("3011A003020112A1030201FFA205040301" + "0203", Der.ToHex(KerberosAsn1.Encode(data)));
    }

    [Fact]
    public void Pa_enc_ts_enc()
    {
        // A0 11 18 0F "20250601123456Z" (19) + A1 05 02 03 01 E2 40 (usec 123456, 7) = 26 = 0x1A
        var value = new PaEncTsEnc { Timestamp = MessageSamples.Time, Microseconds = 123_456 };

        Assert.Equal("301AA011180F32303235303630313132333435365AA105020301E240", Der.ToHex(value.Encode()));
    }

    [Fact]
    public void Ap_rep()
    {
        // EncryptedData { 18, cipher 01 02 03 } = 30 0C A0 03 02 01 12 A2 05 04 03 01 02 03 (14)
        // pvno A0 03 02 01 05 (5) + msg-type A1 03 02 01 0F (5) + A2 0E <14> (16) = 26 = 0x1A
        // SEQUENCE 30 1A (28) inside [APPLICATION 15] = 6F 1C
        var value = new ApRep { EncryptedPart = new EncryptedData { EncryptionType = EncryptionType.Aes256CtsHmacSha196, Cipher = new byte[] { 1, 2, 3 } } };
        const string expected = "6F1C301AA003020105A10302010FA20E300CA003020112A205040301" + "0203";

        Assert.Equal(expected, Der.ToHex(value.Encode()));
        Assert.Equal(MessageType.ApRep, KerberosMessage.PeekType(Der.Hex(expected)));
        Assert.Equal(new byte[] { 1, 2, 3 }, ApRep.Decode(Der.Hex(expected)).EncryptedPart.Cipher.ToArray());
    }

    [Fact]
    public void Pac_wrapped_in_ad_if_relevant()
    {
        // inner: A0 04 02 02 00 80 (ad-type 128) + A1 04 04 02 AA BB = 12 → 30 0C, list 30 0E (16)
        // outer: A0 03 02 01 01 (ad-type 1) + A1 12 04 10 <16> = 25 → 30 19
        var element = AuthorizationData.WrapPac(new byte[] { 0xAA, 0xBB });

        Assert.Equal("3019A003020101A1120410" + "300E300CA004020200" + "80A1040402AABB", Der.ToHex(KerberosAsn1.Encode(element)));
    }

    [Fact]
    public void Kdc_options_in_a_request_body()
    {
        // forwardable (1) | renewable (8) | canonicalize (15) | renewable-ok (27) = 0x40810010
        var body = new KdcReqBody
        {
            Options = KdcOptions.Forwardable | KdcOptions.Renewable | KdcOptions.Canonicalize | KdcOptions.RenewableOk,
            Realm = "R",
            Till = MessageSamples.Time,
            Nonce = 1,
            EncryptionTypes = [EncryptionType.Aes256CtsHmacSha196],
        };

        var encoded = Der.ToHex(KerberosAsn1.Encode(body));

        // 9 + 5 + 19 + 5 + 7 = 45 = 0x2D: A0 07 03 05 00 40 81 00 10 | A2 03 1B 01 52 | A5 11 18 0F <time> | A7 03 02 01 01 | A8 05 30 03 02 01 12
        Assert.Equal(
            "302D" + "A00703050040810010" + "A2031B0152" + "A511180F32303235303630313132333435365A" + "A703020101" + "A80530030201" + "12",
            encoded);
    }
}
