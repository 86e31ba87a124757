using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Server.Token;

namespace KerberosCloudKdc.Server.Tests.Token;

public sealed class TokenCryptoTests
{
    private sealed class FixedBytes(byte value) : IKerberosRandom
    {
        public void Fill(Span<byte> destination) => destination.Fill(value);
    }

    [Fact]
    public void The_kdf_matches_an_explicit_hmac_over_the_contract_byte_string()
    {
        var sessionKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var context = Enumerable.Range(100, 24).Select(i => (byte)i).ToArray();
        var expected = PrtClient.DeriveIndependently(sessionKey, context);
        Assert.Equal(expected, SecureConversationKey.Derive(sessionKey, context));

        // Pinned, so a change in either formulation shows up (value computed with Python's hmac over the same bytes).
        Assert.Equal("FD86B1821BD2EFFA68009DEE12E23D90B6889712DC9EC3A625075817CA47F47A", Convert.ToHexString(SecureConversationKey.Derive(sessionKey, context)));
        Assert.NotEqual(expected, SecureConversationKey.Derive(sessionKey, context.Reverse().ToArray()));
    }

    [Fact]
    public void The_client_key_jwe_opens_with_the_independent_client()
    {
        var sessionKey = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
        var kc = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();
        var jwe = CompactJwe.ClientKey(sessionKey, kc, new FixedBytes(9));
        Assert.Equal(kc, PrtClient.ClientKey(jwe, sessionKey));
        var wrong = (byte[])sessionKey.Clone();
        wrong[0] ^= 1;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => PrtClient.ClientKey(jwe, wrong));
    }

    [Fact]
    public void Nonces_expire_and_are_single_use()
    {
        var clock = new Admin.ManualClock(TestData.Now);
        var nonces = new NonceService(clock, new FixedBytes(1), maxRemembered: 2);
        var a = nonces.Issue();
        Assert.Equal(NonceCheck.Valid, nonces.Consume(a));
        Assert.Equal(NonceCheck.Replayed, nonces.Consume(a));

        // Other spellings of the same bytes (padding, whitespace) are the same nonce, not fresh ones.
        foreach (var variant in new[] { a + "=", a + " ", " " + a, a + "\n", a[..10] + " " + a[10..] })
        {
            Assert.NotEqual(NonceCheck.Valid, nonces.Consume(variant));
        }

        var b = nonces.Issue();
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.Equal(NonceCheck.Expired, nonces.Consume(b));
        Assert.Equal(NonceCheck.Malformed, nonces.Consume("x"));
        Assert.Equal(NonceCheck.Malformed, nonces.Consume(new NonceService(clock, new FixedBytes(1)).Issue()));

        // A full replay cache purges what expired, and fails closed when nothing has.
        Assert.Equal(NonceCheck.Valid, nonces.Consume(nonces.Issue()));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(NonceCheck.Valid, nonces.Consume(nonces.Issue()));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(NonceCheck.Replayed, nonces.Consume(nonces.Issue()));
    }

    [Fact]
    public void A_prt_round_trips_and_refuses_tampering()
    {
        var key = Enumerable.Repeat((byte)3, 32).ToArray();
        var protector = new PrimaryRefreshTokenProtector(() => key, new FixedBytes(4));
        var token = new PrimaryRefreshToken
        {
            TenantId = Guid.NewGuid(), UserId = Guid.NewGuid(), DeviceId = Guid.NewGuid(),
            SessionKey = Enumerable.Repeat((byte)8, 32).ToArray(), IssuedAt = TestData.Now, ExpiresAt = TestData.Now.AddDays(14),
        };
        var sealedText = protector.Seal(token);
        var opened = protector.Unseal(sealedText)!;
        Assert.Equal(token.TenantId, opened.TenantId);
        Assert.Equal(token.SessionKey, opened.SessionKey);
        Assert.Equal(token.ExpiresAt, opened.ExpiresAt);
        Assert.Null(new PrimaryRefreshTokenProtector(() => new byte[32], new FixedBytes(4)).Unseal(sealedText));
        Assert.Null(protector.Unseal(sealedText[..^1]));
        Assert.Null(protector.Unseal("garbage"));
    }
}
