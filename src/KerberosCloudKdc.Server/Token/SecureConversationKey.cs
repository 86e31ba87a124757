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
}
