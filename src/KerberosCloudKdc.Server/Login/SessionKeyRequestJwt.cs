using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The <c>request</c> JWT of a PRT renewal (docs/token-path.md §1.2.1): HS256 under the key derived from the PRT session
/// key, kdf_ver 2, so the derivation context SHA256(ctx || payload bytes) ties the key to this one payload.
/// </summary>
internal static class SessionKeyRequestJwt
{
    private const int ContextLength = 24;

    public static string Create(StoredPrt prt, string nonce, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(prt);
        var ctx = RandomNumberGenerator.GetBytes(ContextLength);
        var header = new JsonObject { ["alg"] = "HS256", ["ctx"] = Convert.ToBase64String(ctx), ["kdf_ver"] = 2 };
        var payload = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["client_id"] = PrtRequestJwt.WindowsBrokerClientId,
            ["request_nonce"] = nonce,
            ["scope"] = "openid aza ugs",
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = prt.RefreshToken,
            ["iat"] = now.ToUnixTimeSeconds(),
        }.ToJsonString());
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(payload);
        return signingInput + "." + Base64Url.EncodeToString(Token.SecureConversationKey.SignRequest(prt.SessionKey, kdfVersion: 2, ctx, payload, signingInput));
    }
}
