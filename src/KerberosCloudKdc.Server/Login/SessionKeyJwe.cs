using System.Security.Cryptography;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// <c>session_key_jwe</c>: only its second part matters to a client (as ROADtools reads <c>parts[1]</c>), the PRT
/// session key wrapped to the device transport key with RSA-OAEP, SHA-1 and MGF1-SHA-1.
/// </summary>
internal static class SessionKeyJwe
{
    public const int SessionKeyLength = 32;

    public static byte[] Unwrap(string jwe, RSA transportKey)
    {
        ArgumentNullException.ThrowIfNull(jwe);
        ArgumentNullException.ThrowIfNull(transportKey);
        var parts = jwe.Split('.');
        if (parts.Length != 5)
        {
            throw new LoginException($"session_key_jwe is not a compact JWE (it has {parts.Length} parts, not 5)");
        }

        var wrapped = JweParts.Decode(parts[1], "session_key_jwe encrypted key");
        byte[] sessionKey;
        try
        {
            sessionKey = transportKey.Decrypt(wrapped, RSAEncryptionPadding.OaepSHA1);
        }
        catch (CryptographicException e)
        {
            throw new LoginException("session_key_jwe does not open with this device's transport key (is the device registered with this server?)", e);
        }

        return sessionKey.Length == SessionKeyLength
            ? sessionKey
            : throw new LoginException($"session_key_jwe holds a {sessionKey.Length}-byte key; a PRT session key has {SessionKeyLength}");
    }
}
