using System.Buffers.Binary;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

public class PacMalformedTests
{
    private static readonly byte[] Signed = PacSigner.Sign(PacSamples.Builder().Build(), PacSamples.ServerKey, PacSamples.KdcKey, [1, 2, 3]);

    private static readonly byte[] LogonInfo = PacSamples.Builder().Build().LogonInfo!.Encode();

    [Fact]
    public void Every_truncation_of_a_signed_pac_is_rejected_cleanly()
    {
        var accepted = 0;
        for (var length = 0; length < Signed.Length; length++)
        {
            accepted += Attempt($"truncated to {length}", Signed.AsSpan(0, length).ToArray());
        }

        // Only cutting the last buffer's trailing padding can leave a valid PAC.
        Assert.True(accepted < 8, $"{accepted} truncations decoded");
    }

    [Fact]
    public void Every_truncation_of_each_buffer_is_rejected_cleanly()
    {
        var pac = PrivilegeAttributeCertificate.Decode(Signed);
        foreach (var buffer in pac.Buffers)
        {
            var bytes = buffer.Encode();
            for (var length = 0; length < bytes.Length; length++)
            {
                var cut = bytes.AsSpan(0, length).ToArray();
                AttemptBuffer($"{buffer.Type} truncated to {length}", buffer.Type, cut);
            }
        }
    }

    [Fact]
    public void Seeded_random_mutations_of_a_signed_pac_only_decode_or_raise_protocol_errors()
    {
        var random = new Random(20240506);
        for (var i = 0; i < 3000; i++)
        {
            var mutated = Mutate(Signed, random);
            Attempt($"pac mutation {i}", mutated);
            try
            {
                PacSigner.VerifyServerSignature(mutated, PacSamples.ServerKey);
                PacSigner.VerifyKdcSignature(mutated, PacSamples.KdcKey);
                PacSigner.VerifyFullSignature(mutated, PacSamples.KdcKey);
            }
            catch (KerberosProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Seeded_random_mutations_of_logon_info_ndr_only_decode_or_raise_protocol_errors()
    {
        var random = new Random(42);
        for (var i = 0; i < 3000; i++)
        {
            AttemptBuffer($"logon mutation {i}", PacBufferType.LogonInfo, Mutate(LogonInfo, random));
        }
    }

    [Fact]
    public void Mutations_in_the_header_and_counts_are_caught_not_trusted()
    {
        // Mutating only the 4-byte little-endian fields with extreme values targets the length logic.
        var random = new Random(7);
        uint[] extremes = [0, 1, 7, 8, 0xFF, 0xFFFF, 0x10000, 1100, 1101, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];
        for (var i = 0; i < 2000; i++)
        {
            var target = random.Next(2) == 0 ? (byte[])Signed.Clone() : (byte[])LogonInfo.Clone();
            var offset = random.Next(target.Length / 4) * 4;
            BinaryPrimitives.WriteUInt32LittleEndian(target.AsSpan(offset), extremes[random.Next(extremes.Length)]);
            if (target.Length == Signed.Length)
            {
                Attempt($"pac field {offset}", target);
            }
            else
            {
                AttemptBuffer($"logon field {offset}", PacBufferType.LogonInfo, target);
            }
        }
    }

    [Fact]
    public void Pac_header_rules_are_enforced()
    {
        Reject(Patch(Signed, 4, 1), "version");
        Reject(Patch(Signed, 0, 0), "zero buffers");
        Reject(Patch(Signed, 0, 65), "too many buffers");
        Reject(Patch64(Signed, 16, BinaryPrimitives.ReadUInt64LittleEndian(Signed.AsSpan(16)) + 4), "unaligned offset");
        Reject(Patch64(Signed, 16, ulong.MaxValue - 7), "offset past the end");
        Reject(Patch(Signed, 12, uint.MaxValue), "size past the end");
        Reject(Patch64(Signed, 32, BinaryPrimitives.ReadUInt64LittleEndian(Signed.AsSpan(16))), "overlap");
        Reject(Patch(Signed, 24, 1), "duplicate logon info");
        Reject([.. Signed, 0, 0, 0, 0, 0, 0, 0, 0], "trailing data");
    }

    [Fact]
    public void Ndr_consistency_rules_are_enforced()
    {
        RejectLogon(Patch(LogonInfo, 0, 0x00081002), "big-endian header");
        RejectLogon(Patch(LogonInfo, 8, (uint)LogonInfo.Length), "object length past the buffer");
        RejectLogon(Patch(LogonInfo, 16, 0), "null top-level pointer");
        // GroupCount at body offset 4 + 108, i.e. 16 + 112.
        RejectLogon(Patch(LogonInfo, 16 + 112, 1101), "too many groups");
        RejectLogon(Patch(LogonInfo, 16 + 112, 2), "group count disagrees with conformance");
        // EffectiveName Length at 16 + 4 + 48.
        RejectLogon(Patch16(LogonInfo, 16 + 52, 3), "odd string length");
        RejectLogon(Patch16(LogonInfo, 16 + 52, 200), "string length beyond maximum");
        // SidCount at 16 + 4 + 196.
        RejectLogon(Patch(LogonInfo, 16 + 200, 5), "sid count disagrees with conformance");
    }

    [Fact]
    public void Invalid_utf16_and_bad_sids_are_rejected()
    {
        var client = new PacClientInfo(default, "ab").Encode();
        client[10] = 0x00;
        client[11] = 0xD8; // Lone high surrogate.
        Assert.Throws<KerberosProtocolException>(() => PacClientInfo.Decode(client));
        Assert.Throws<KerberosProtocolException>(() => PacClientInfo.Decode([.. new PacClientInfo(default, "ab").Encode(), 0]));
        Assert.Throws<KerberosProtocolException>(() => PacRequestor.Decode([.. PacSamples.DomainSid.ToBinary(), 0, 0, 0, 0]));
        Assert.Throws<KerberosProtocolException>(() => PacAttributesInfo.Decode(Patch(new PacAttributesInfo(true, false).Encode(), 0, 33)));
        var upn = new UpnDnsInfo("a@b", "B").Encode();
        Assert.Throws<KerberosProtocolException>(() => UpnDnsInfo.Decode(Patch16(upn, 2, 0xFFF0)));
    }

    private static int Attempt(string what, byte[] data)
    {
        try
        {
            PrivilegeAttributeCertificate.Decode(data);
            return 1;
        }
        catch (KerberosProtocolException)
        {
            return 0;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name}: {ex.Message}");
            throw;
        }
    }

    private static void AttemptBuffer(string what, PacBufferType type, byte[] data)
    {
        try
        {
            _ = type switch
            {
                PacBufferType.LogonInfo => (object)KerbValidationInfo.Decode(data),
                PacBufferType.ClientInfo => PacClientInfo.Decode(data),
                PacBufferType.UpnDnsInfo => UpnDnsInfo.Decode(data),
                PacBufferType.Attributes => PacAttributesInfo.Decode(data),
                PacBufferType.Requestor => PacRequestor.Decode(data),
                _ => PacSignatureData.Decode(type, data),
            };
        }
        catch (KerberosProtocolException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var data = (byte[])original.Clone();
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var position = random.Next(data.Length);
            switch (random.Next(4))
            {
                case 0:
                    data[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[position] = (byte)random.Next(256);
                    break;
                case 2:
                    data[position] = random.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                    break;
                default:
                    data = random.Next(2) == 0
                        ? [.. data.AsSpan(0, position), .. data.AsSpan(position + 1)]
                        : [.. data.AsSpan(0, position), (byte)random.Next(256), .. data.AsSpan(position)];
                    break;
            }

            if (data.Length == 0)
            {
                break;
            }
        }

        return data;
    }

    private static void Reject(byte[] pac, string why) =>
        Assert.True(Throws(() => PrivilegeAttributeCertificate.Decode(pac)), $"accepted: {why}");

    private static void RejectLogon(byte[] logon, string why) =>
        Assert.True(Throws(() => KerbValidationInfo.Decode(logon)), $"accepted: {why}");

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (KerberosProtocolException)
        {
            return true;
        }
    }

    private static byte[] Patch(byte[] data, int offset, uint value)
    {
        var copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] Patch16(byte[] data, int offset, ushort value)
    {
        var copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] Patch64(byte[] data, int offset, ulong value)
    {
        var copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
