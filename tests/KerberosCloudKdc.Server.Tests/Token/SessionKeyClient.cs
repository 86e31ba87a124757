using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>
/// The client half of a session-key-signed refresh (docs/token-path.md §1.2, §1.3), from the contract and not the
/// server's helpers: HS256 under KDF(session key, ctx) or KDF(session key, SHA256(ctx || payload)), and the JWE
/// answer opened with KDF v1 of its header ctx, AAD = the ASCII header segment.
/// </summary>
internal static class SessionKeyClient
{
    /// <summary>An HS256 request JWT; <paramref name="kdfVersion"/> null leaves kdf_ver out (KDF v1).</summary>
    public static string Sign(JsonObject payload, byte[] sessionKey, int? kdfVersion = 2, byte[]? ctx = null)
    {
        ctx ??= RandomNumberGenerator.GetBytes(24);
        var header = new JsonObject { ["alg"] = "HS256", ["ctx"] = Convert.ToBase64String(ctx) };
        if (kdfVersion is { } version)
        {
            header["kdf_ver"] = version;
        }

        var payloadBytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(payloadBytes);
        var context = kdfVersion == 2 ? SHA256.HashData([.. ctx, .. payloadBytes]) : ctx;
        var key = PrtClient.DeriveIndependently(sessionKey, context);
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>Opens the compact-JWE body of an answer to an HS256 request; throws when it does not authenticate.</summary>
    public static JsonElement Open(string jwe, byte[] sessionKey)
    {
        var parts = jwe.Split('.');
        Assert.Equal(5, parts.Length);
        Assert.Equal(string.Empty, parts[1]);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("dir", header.GetProperty("alg").GetString());
        Assert.Equal("A256GCM", header.GetProperty("enc").GetString());
        var ctx = Convert.FromBase64String(header.GetProperty("ctx").GetString()!);
        Assert.Equal(24, ctx.Length);
        var iv = Base64Url.DecodeFromChars(parts[2]);
        Assert.Equal(12, iv.Length);
        var ciphertext = Base64Url.DecodeFromChars(parts[3]);
        var plaintext = new byte[ciphertext.Length];
        using (var gcm = new AesGcm(PrtClient.DeriveIndependently(sessionKey, ctx), 16))
        {
            gcm.Decrypt(iv, ciphertext, Base64Url.DecodeFromChars(parts[4]), plaintext, Encoding.ASCII.GetBytes(parts[0]));
        }

        return JsonDocument.Parse(plaintext).RootElement.Clone();
    }
}
