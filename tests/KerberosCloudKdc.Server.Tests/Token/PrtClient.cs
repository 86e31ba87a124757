using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Tests.Admin;

namespace KerberosCloudKdc.Server.Tests.Token;

/// <summary>
/// The client half of docs/token-path.md §1.3, written from the contract rather than from the server's
/// helpers: unwrap session_key_jwe part 2 with RSA-OAEP-SHA1, derive with an explicit HMAC-SHA256 over
/// counter || label || 0 || ctx || L, open clientKey with AES-GCM, open the AS-REP with usage 3.
/// </summary>
internal static class PrtClient
{
    public static byte[] SessionKey(string sessionKeyJwe, RSA transportKey)
    {
        var parts = sessionKeyJwe.Split('.');
        Assert.Equal(5, parts.Length);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("RSA-OAEP", header.GetProperty("alg").GetString());
        Assert.Equal("A256GCM", header.GetProperty("enc").GetString());
        return transportKey.Decrypt(Base64Url.DecodeFromChars(parts[1]), RSAEncryptionPadding.OaepSHA1);
    }

    /// <summary>SP800-108 counter mode, one block, spelled out (the contract's byte string).</summary>
    public static byte[] DeriveIndependently(byte[] sessionKey, byte[] context)
    {
        var label = Encoding.ASCII.GetBytes("AzureAD-SecureConversation");
        var input = new byte[4 + label.Length + 1 + context.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(input, 1);
        label.CopyTo(input, 4);
        input[4 + label.Length] = 0;
        context.CopyTo(input, 4 + label.Length + 1);
        BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(input.Length - 4), 256);
        return HMACSHA256.HashData(sessionKey, input);
    }

    public static byte[] ClientKey(string clientKeyJwe, byte[] sessionKey)
    {
        var parts = clientKeyJwe.Split('.');
        Assert.Equal(5, parts.Length);
        Assert.Equal(string.Empty, parts[1]);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("dir", header.GetProperty("alg").GetString());
        Assert.Equal("A256GCM", header.GetProperty("enc").GetString());
        Assert.Equal(1, header.GetProperty("kdf_ver").GetInt32());
        var context = Convert.FromBase64String(header.GetProperty("ctx").GetString()!);
        Assert.Equal(24, context.Length);
        var derived = DeriveIndependently(sessionKey, context);
        var iv = Base64Url.DecodeFromChars(parts[2]);
        Assert.Equal(12, iv.Length);
        var ciphertext = Base64Url.DecodeFromChars(parts[3]);
        var tag = Base64Url.DecodeFromChars(parts[4]);
        var plaintext = new byte[ciphertext.Length];
        using var gcm = new AesGcm(derived, 16);
        gcm.Decrypt(iv, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(parts[0]));
        return plaintext;
    }

    /// <summary>Opens a tgt_cloud/tgt_ad value into a usable TGT, with K_c from <paramref name="clientKey"/>.</summary>
    public static Tgt OpenTgt(JsonElement tgt, byte[] clientKey)
    {
        Assert.Equal(18, tgt.GetProperty("keyType").GetInt32());
        var asRep = AsRep.Decode(Convert.FromBase64String(tgt.GetProperty("messageBuffer").GetString()!));
        Assert.Null(asRep.EncryptedPart.KeyVersion);
        var part = EncKdcRepPart.Decode(asRep.EncryptedPart.Decrypt(new KerberosKey(EncryptionType.Aes256CtsHmacSha196, clientKey), KeyUsage.AsRepEncPart));
        return new Tgt(asRep, part, part.Key.ToKey());
    }
}
