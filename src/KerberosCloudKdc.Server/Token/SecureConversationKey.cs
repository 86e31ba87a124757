using System.Security.Cryptography;
using System.Text;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// The key Entra derives from the PRT session key to protect response parts (facts §3.4, KDF v1):
/// SP800-108 counter mode, HMAC-SHA256, fixed input counter(4) || "AzureAD-SecureConversation" || 0x00 ||
/// ctx || L(4) = 256. .NET's SP800108HmacCounterKdf lays out its input exactly so (32-bit big-endian counter
/// first, label, one zero byte, context, 32-bit big-endian length in bits), which a test checks against an
/// explicit HMAC over that byte string.
/// </summary>
internal static class SecureConversationKey
{
    public const int ContextLength = 24;
    public static readonly byte[] Label = Encoding.ASCII.GetBytes("AzureAD-SecureConversation");

    public static byte[] Derive(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> context) =>
        SP800108HmacCounterKdf.DeriveBytes(sessionKey, HashAlgorithmName.SHA256, Label, context, 32);

    /// <summary>
    /// The KDF context of a session-key-signed request (facts §3.4): kdf_ver 2 binds the key to the payload with
    /// SHA256(ctx || payload bytes), so a signature cannot be moved to another payload under the same ctx;
    /// kdf_ver 1 (or none) uses ctx alone, as older clients do.
    /// </summary>
    public static byte[] RequestContext(int kdfVersion, ReadOnlySpan<byte> ctx, ReadOnlySpan<byte> payload)
    {
        if (kdfVersion != 2)
        {
            return ctx.ToArray();
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(ctx);
        sha.AppendData(payload);
        return sha.GetHashAndReset();
    }

    /// <summary>HMAC-SHA256 of a request's signing input under the key derived for it.</summary>
    public static byte[] SignRequest(ReadOnlySpan<byte> sessionKey, int kdfVersion, ReadOnlySpan<byte> ctx, ReadOnlySpan<byte> payload, string signingInput)
    {
        var key = Derive(sessionKey, RequestContext(kdfVersion, ctx, payload));
        try
        {
            return HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
