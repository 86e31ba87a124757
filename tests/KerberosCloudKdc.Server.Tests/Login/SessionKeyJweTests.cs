using System.Security.Cryptography;
using KerberosCloudKdc.Server.Login;

namespace KerberosCloudKdc.Server.Tests.Login;

public sealed class SessionKeyJweTests
{
    [Fact]
    public void Part_two_unwraps_with_the_transport_key()
    {
        using var transport = RSA.Create(2048);
        var sessionKey = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(sessionKey, SessionKeyJwe.Unwrap(TokenResponseBuilder.SessionKeyJwe(transport, sessionKey), transport));
    }

    [Fact]
    public void Another_transport_key_is_a_clear_error()
    {
        using var transport = RSA.Create(2048);
        using var other = RSA.Create(2048);

        var e = Assert.Throws<LoginException>(() => SessionKeyJwe.Unwrap(TokenResponseBuilder.SessionKeyJwe(other, new byte[32]), transport));
        Assert.Contains("transport key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_the_wrong_size_is_refused()
    {
        using var transport = RSA.Create(2048);

        Assert.Throws<LoginException>(() => SessionKeyJwe.Unwrap(TokenResponseBuilder.SessionKeyJwe(transport, new byte[16]), transport));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a.%%%.c.d.e")]
    public void Malformed_input_is_a_clear_error(string jwe)
    {
        using var transport = RSA.Create(2048);

        Assert.Throws<LoginException>(() => SessionKeyJwe.Unwrap(jwe, transport));
    }
}
