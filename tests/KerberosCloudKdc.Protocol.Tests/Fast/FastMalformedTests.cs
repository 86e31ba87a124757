using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Golden;

namespace KerberosCloudKdc.Protocol.Tests.Fast;

/// <summary>Hostile FAST input: truncated or mutated MIT padata values and plaintexts only ever raise KerberosProtocolException.</summary>
public class FastMalformedTests
{
    public static IEnumerable<object[]> Inputs =>
        from scenario in MitGoldenExchange.Scenarios
        from input in new[] { "request", "reply", "fast-req", "fast-response" }
        select new object[] { scenario[0], input };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_truncation_is_refused_with_a_protocol_error(string scenario, string input)
    {
        var (bytes, attempt) = Load(scenario, input);
        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes.AsSpan(0, length).ToArray();
            // A DER value cut short can never be whole again: every truncation must be refused.
            Assert.Throws<KerberosProtocolException>(() => attempt(cut));
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Seeded_byte_flips_only_decode_or_raise_protocol_errors(string scenario, string input)
    {
        var (bytes, attempt) = Load(scenario, input);
        var random = new Random(6113 + input.Length);
        for (var i = 0; i < 1500; i++)
        {
            var mutated = (byte[])bytes.Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            try
            {
                attempt(mutated);
            }
            catch (KerberosProtocolException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{input} mutation {i}: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Each input with the full processing a KDC or client would do on it: decode, and for the armored
    /// values also verify the checksum and decrypt with the real armor key.
    /// </summary>
    private static (byte[] Bytes, Action<byte[]> Attempt) Load(string scenario, string input)
    {
        var tgs = MitFastTgs.Load(scenario);
        var armorKey = tgs.ArmorKey;
        var apReq = tgs.PaTgsReq.Value;
        return input switch
        {
            "request" => (tgs.FastRequestPaData.Value.ToArray(), bytes =>
            {
                var armored = PaFxFastRequest.Decode(bytes).ArmoredData;
                armored.VerifyChecksum(armorKey, apReq.Span);
                armored.DecryptFastRequest(armorKey);
            }),
            "reply" => (tgs.FastReplyPaData.Value.ToArray(), bytes =>
            {
                var response = PaFxFastReply.Decode(bytes).ArmoredData.DecryptResponse(armorKey);
                response.Finished?.VerifyTicketChecksum(armorKey, tgs.Reply.Ticket);
                if (response.StrengthenKey is { } key)
                {
                    FastArmor.StrengthenReplyKey(key.ToKey(), tgs.Subkey);
                }
            }),
            "fast-req" => (
                PaFxFastRequest.Decode(tgs.FastRequestPaData.Value).ArmoredData.EncryptedFastRequest.Decrypt(armorKey, KeyUsage.FastEncrypted),
                bytes => KrbFastReq.Decode(bytes)),
            "fast-response" => (
                PaFxFastReply.Decode(tgs.FastReplyPaData.Value).ArmoredData.EncryptedFastResponse.Decrypt(armorKey, KeyUsage.FastReply),
                bytes => KrbFastResponse.Decode(bytes)),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
    }
}
