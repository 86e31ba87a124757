using System.Buffers.Binary;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

public class PacSignerTests
{
    private static readonly byte[] TicketInput = "3082012ca003020101"u8.ToArray();

    [Fact]
    public void Tgt_style_signing_adds_server_and_kdc_signatures_that_verify()
    {
        var signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey);

        var decoded = PrivilegeAttributeCertificate.Decode(signed);
        Assert.Equal(ChecksumType.HmacSha196Aes256, decoded.ServerSignature!.SignatureType);
        Assert.Equal(12, decoded.ServerSignature.Signature.Length);
        Assert.Equal(ChecksumType.HmacSha196Aes256, decoded.KdcSignature!.SignatureType);
        Assert.Null(decoded.TicketSignature);
        Assert.Null(decoded.FullSignature);
        Assert.True(PacSigner.VerifyServerSignature(signed, PacSamples.ServerKey));
        Assert.True(PacSigner.VerifyKdcSignature(signed, PacSamples.KdcKey));
        Assert.False(PacSigner.VerifyServerSignature(signed, PacSamples.WrongKey));
        Assert.False(PacSigner.VerifyKdcSignature(signed, PacSamples.WrongKey));
        Assert.False(PacSigner.VerifyServerSignature(signed, PacSamples.KdcKey));
    }

    [Fact]
    public void Server_signature_is_the_keyed_checksum_of_the_pac_with_signatures_zeroed()
    {
        var signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey);
        var decoded = PrivilegeAttributeCertificate.Decode(signed);
        var zeroed = new PrivilegeAttributeCertificate(decoded.Buffers.Select(b => b is PacSignatureData s
            ? new PacSignatureData(s.Type, s.SignatureType, new byte[s.Signature.Length])
            : b)).Encode();

        var expectedServer = KerberosChecksum.Compute(ChecksumType.HmacSha196Aes256, PacSamples.ServerKey, KeyUsage.PacChecksum, zeroed);
        var expectedKdc = KerberosChecksum.Compute(ChecksumType.HmacSha196Aes256, PacSamples.KdcKey, KeyUsage.PacChecksum, expectedServer);

        Assert.Equal(expectedServer, decoded.ServerSignature!.Signature.ToArray());
        Assert.Equal(expectedKdc, decoded.KdcSignature!.Signature.ToArray());
    }

    [Fact]
    public void Any_changed_byte_outside_the_signatures_breaks_the_server_signature()
    {
        var signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey);
        var logonOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(signed.AsSpan(16));

        var tampered = (byte[])signed.Clone();
        tampered[logonOffset + 100] ^= 1;

        Assert.False(PacSigner.VerifyServerSignature(tampered, PacSamples.ServerKey));
        Assert.True(PacSigner.VerifyKdcSignature(tampered, PacSamples.KdcKey));
    }

    [Fact]
    public void Service_ticket_signing_adds_ticket_and_full_signatures()
    {
        var signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey, TicketInput);

        var decoded = PrivilegeAttributeCertificate.Decode(signed);
        Assert.Equal(
            [PacBufferType.ServerChecksum, PacBufferType.KdcChecksum, PacBufferType.TicketChecksum, PacBufferType.FullChecksum],
            decoded.Buffers.Skip(5).Select(b => b.Type));
        Assert.True(PacSigner.VerifyTicketSignature(signed, PacSamples.KdcKey, TicketInput));
        Assert.False(PacSigner.VerifyTicketSignature(signed, PacSamples.KdcKey, [.. TicketInput, 0]));
        Assert.False(PacSigner.VerifyTicketSignature(signed, PacSamples.WrongKey, TicketInput));
        Assert.True(PacSigner.VerifyFullSignature(signed, PacSamples.KdcKey));
        Assert.False(PacSigner.VerifyFullSignature(signed, PacSamples.ServerKey));
        Assert.True(PacSigner.VerifyServerSignature(signed, PacSamples.ServerKey));
        Assert.True(PacSigner.VerifyKdcSignature(signed, PacSamples.KdcKey));
    }

    [Fact]
    public void Server_signature_covers_the_full_signature_but_the_full_signature_does_not_cover_it()
    {
        var signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey, TicketInput);
        var full = SignatureOffset(signed, PacBufferType.FullChecksum);
        var server = SignatureOffset(signed, PacBufferType.ServerChecksum);

        var fullTampered = (byte[])signed.Clone();
        fullTampered[full] ^= 1;
        var serverTampered = (byte[])signed.Clone();
        serverTampered[server] ^= 1;

        Assert.False(PacSigner.VerifyServerSignature(fullTampered, PacSamples.ServerKey));
        Assert.False(PacSigner.VerifyFullSignature(fullTampered, PacSamples.KdcKey));
        Assert.True(PacSigner.VerifyFullSignature(serverTampered, PacSamples.KdcKey));
        Assert.False(PacSigner.VerifyKdcSignature(serverTampered, PacSamples.KdcKey));
    }

    [Fact]
    public void Resigning_replaces_old_signatures_and_tgt_signing_drops_ticket_signatures()
    {
        var serviceTicketPac = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey, TicketInput);
        var newServerKey = PacSamples.Aes256(0x44);

        var resigned = PacSigner.Sign(PrivilegeAttributeCertificate.Decode(serviceTicketPac), newServerKey, PacSamples.KdcKey);

        var decoded = PrivilegeAttributeCertificate.Decode(resigned);
        Assert.Equal(7, decoded.Buffers.Count);
        Assert.Null(decoded.FullSignature);
        Assert.True(PacSigner.VerifyServerSignature(resigned, newServerKey));
        Assert.True(PacSigner.VerifyKdcSignature(resigned, PacSamples.KdcKey));
    }

    [Fact]
    public void Checksum_type_follows_each_key()
    {
        var aes128 = new KerberosKey(EncryptionType.Aes128CtsHmacSha196, new byte[16]);

        var signed = PacSigner.Sign(PacSamples.Builder().Build(), aes128, PacSamples.KdcKey);

        var decoded = PrivilegeAttributeCertificate.Decode(signed);
        Assert.Equal(ChecksumType.HmacSha196Aes128, decoded.ServerSignature!.SignatureType);
        Assert.Equal(ChecksumType.HmacSha196Aes256, decoded.KdcSignature!.SignatureType);
        Assert.True(PacSigner.VerifyServerSignature(signed, aes128));
        Assert.True(PacSigner.VerifyKdcSignature(signed, PacSamples.KdcKey));
    }

    [Theory]
    [InlineData(EncryptionType.Aes128CtsHmacSha196, ChecksumType.HmacSha196Aes128, 12)]
    [InlineData(EncryptionType.Aes256CtsHmacSha196, ChecksumType.HmacSha196Aes256, 12)]
    [InlineData(EncryptionType.Aes128CtsHmacSha256128, ChecksumType.HmacSha256128Aes128, 16)]
    [InlineData(EncryptionType.Aes256CtsHmacSha384192, ChecksumType.HmacSha384192Aes256, 24)]
    public void Signature_buffers_are_sized_for_every_aes_enctype(EncryptionType etype, ChecksumType expected, int size)
    {
        var key = new KerberosKey(etype, new byte[etype is EncryptionType.Aes128CtsHmacSha196 or EncryptionType.Aes128CtsHmacSha256128 ? 16 : 32]);

        var signed = PacSigner.Sign(PacSamples.Builder().Build(), key, key, TicketInput);

        var decoded = PrivilegeAttributeCertificate.Decode(signed);
        foreach (var signature in new[] { decoded.ServerSignature!, decoded.KdcSignature!, decoded.TicketSignature!, decoded.FullSignature! })
        {
            Assert.Equal(expected, signature.SignatureType);
            Assert.Equal(size, signature.Signature.Length);
        }

        Assert.True(PacSigner.VerifyServerSignature(signed, key));
        Assert.True(PacSigner.VerifyKdcSignature(signed, key));
        Assert.True(PacSigner.VerifyFullSignature(signed, key));
        Assert.True(PacSigner.VerifyTicketSignature(signed, key, TicketInput));
    }

    [Fact]
    public void A_signature_type_other_than_the_keys_own_is_refused()
    {
        var signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey);
        var typeOffset = SignatureOffset(signed, PacBufferType.ServerChecksum) - 4;

        BinaryPrimitives.WriteInt32LittleEndian(signed.AsSpan(typeOffset), (int)ChecksumType.HmacSha196Aes128);

        Assert.False(PacSigner.VerifyServerSignature(signed, PacSamples.ServerKey));
    }

    [Fact]
    public void Verifying_a_missing_signature_is_a_protocol_error()
    {
        var unsigned = PacSamples.Builder().Build().Encode();
        var tgt = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey);

        Assert.Throws<KerberosProtocolException>(() => PacSigner.VerifyServerSignature(unsigned, PacSamples.ServerKey));
        Assert.Throws<KerberosProtocolException>(() => PacSigner.VerifyKdcSignature(unsigned, PacSamples.KdcKey));
        Assert.Throws<KerberosProtocolException>(() => PacSigner.VerifyFullSignature(tgt, PacSamples.KdcKey));
        Assert.Throws<KerberosProtocolException>(() => PacSigner.VerifyTicketSignature(tgt, PacSamples.KdcKey, TicketInput));
    }

    internal static int SignatureOffset(byte[] pac, PacBufferType type)
    {
        var count = BinaryPrimitives.ReadUInt32LittleEndian(pac);
        for (var i = 0; i < count; i++)
        {
            var entry = pac.AsSpan(8 + (16 * i));
            if (BinaryPrimitives.ReadUInt32LittleEndian(entry) == (uint)type)
            {
                return (int)BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]) + 4;
            }
        }

        throw new InvalidOperationException($"No {type} buffer.");
    }
}
