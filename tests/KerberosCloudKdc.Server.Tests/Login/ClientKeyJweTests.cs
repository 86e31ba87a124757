using System.Security.Cryptography;
using KerberosCloudKdc.Server.Login;

namespace KerberosCloudKdc.Server.Tests.Login;

public sealed class ClientKeyJweTests
{
    [Fact]
    public void The_kdf_is_one_hmac_sha256_block_over_the_contract_bytes()
    {
        var sessionKey = Convert.FromHexString("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
        var context = Convert.FromHexString("A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7");

        Assert.Equal(TokenResponseBuilder.DeriveKeyByHand(sessionKey, context), ClientKeyJwe.DeriveKey(sessionKey, context));
        Assert.NotEqual(TokenResponseBuilder.DeriveKeyByHand(sessionKey, context[1..]), ClientKeyJwe.DeriveKey(sessionKey, context));
    }

    [Fact]
    public void A_hand_built_jwe_opens_to_the_client_key()
    {
        var sessionKey = RandomNumberGenerator.GetBytes(32);
        var clientKey = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(clientKey, ClientKeyJwe.Decrypt(TokenResponseBuilder.ClientKeyJwe(sessionKey, clientKey), sessionKey, "tgt_cloud"));
    }

    [Fact]
    public void Another_session_key_fails_the_tag_check()
    {
        var jwe = TokenResponseBuilder.ClientKeyJwe(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

        var e = Assert.Throws<LoginException>(() => ClientKeyJwe.Decrypt(jwe, RandomNumberGenerator.GetBytes(32), "tgt_cloud"));
        Assert.Contains("tag mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_header_fails_because_it_is_the_aad()
    {
        var sessionKey = RandomNumberGenerator.GetBytes(32);
        var parts = TokenResponseBuilder.ClientKeyJwe(sessionKey, RandomNumberGenerator.GetBytes(32)).Split('.');
        var header = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        parts[0] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(header.Replace("\"dir\"", "\"dir\" ", StringComparison.Ordinal)));

        Assert.Throws<LoginException>(() => ClientKeyJwe.Decrypt(string.Join('.', parts), sessionKey, "tgt_cloud"));
    }

    [Theory]
    [InlineData("not-a-jwe")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.x.y.z.w")]
    [InlineData("e30..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJlbmMiOiJBMjU2R0NNIiwiY3R4IjoiJSUlIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_jwes_are_clear_errors(string jwe)
    {
        var e = Assert.Throws<LoginException>(() => ClientKeyJwe.Decrypt(jwe, new byte[32], "tgt_cloud"));
        Assert.StartsWith("tgt_cloud clientKey", e.Message, StringComparison.Ordinal);
    }
}
