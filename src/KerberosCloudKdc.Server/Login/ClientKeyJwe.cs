using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The <c>clientKey</c> of tgt_cloud / tgt_ad (docs/token-path.md §1.3): a "dir" JWE whose content key is derived from
/// the PRT session key with SP800-108 counter-mode HMAC-SHA256 (label AzureAD-SecureConversation, context = the
/// header's ctx), content AES-256-GCM with a 12-byte IV and the header segment as AAD. The plaintext is K_c, the key
/// the AS-REP's enc-part is encrypted with.
/// </summary>
internal static class ClientKeyJwe
{
    private const int IvLength = 12;
    private const int TagLength = 16;

    /// <summary>KDF v1 (the key responses are sealed under): the same derivation the server uses.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> context) =>
        Token.SecureConversationKey.Derive(sessionKey, context);

    public static byte[] Decrypt(string jwe, ReadOnlySpan<byte> sessionKey, string what) => DecryptDerived(jwe, sessionKey, what + " clientKey");

    /// <summary>
    /// Any "dir" A256GCM JWE under KDF v1 of its header ctx: a clientKey, or the whole answer to a session-key-signed
    /// request (docs/token-path.md §1.3), which Entra seals the same way. <paramref name="what"/> names it in errors.
    /// </summary>
    public static byte[] DecryptDerived(string jwe, ReadOnlySpan<byte> sessionKey, string what)
    {
        ArgumentNullException.ThrowIfNull(jwe);
        var parts = jwe.Split('.');
        if (parts.Length != 5)
        {
            throw new LoginException($"{what} is not a compact JWE (it has {parts.Length} parts, not 5)");
        }

        var context = Context(parts[0], what);
        var iv = JweParts.Decode(parts[2], what + " IV");
        var ciphertext = JweParts.Decode(parts[3], what + " ciphertext");
        var tag = JweParts.Decode(parts[4], what + " tag");
        if (iv.Length != IvLength || tag.Length != TagLength)
        {
            // Responses with other IV sizes would be AES-CBC (ROADtools); the contract only ever sends GCM.
            throw new LoginException($"{what}: expected a {IvLength}-byte IV and a {TagLength}-byte tag for A256GCM");
        }

        var derived = DeriveKey(sessionKey, context);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(derived, TagLength);
            aes.Decrypt(iv, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(parts[0]));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new LoginException($"{what} does not decrypt with the PRT session key (tag mismatch)", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }

        return plaintext;
    }

    private static byte[] Context(string headerSegment, string what)
    {
        JsonNode? header;
        try
        {
            header = JsonNode.Parse(JweParts.Decode(headerSegment, what + " header"));
        }
        catch (JsonException e)
        {
            throw new LoginException($"{what} header is not JSON", e);
        }

        if (header is not JsonObject json || json["enc"] is not JsonValue enc || !enc.TryGetValue<string>(out var encName) || encName != "A256GCM")
        {
            throw new LoginException($"{what} header must say enc A256GCM");
        }

        return json["ctx"] is JsonValue ctx && ctx.TryGetValue<string>(out var text)
            ? JweParts.DecodeStandard(text, what + " ctx")
            : throw new LoginException($"{what} header has no ctx");
    }
}
