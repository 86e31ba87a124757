using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Tests.Login;

/// <summary>
/// The server half of the token path, written in the test from the contract (docs/token-path.md §1.3) and independent
/// of the login code: the KDF is HMAC-SHA256 over the contract's byte string, the JWEs are assembled by hand.
/// </summary>
internal sealed class TokenResponseBuilder
{
    public const string Realm = "KERBEROS.MICROSOFTONLINE.COM";
    public const string Upn = "alice@contoso.com";

    public static readonly DateTimeOffset AuthTime = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public byte[] SessionKey { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] CloudClientKey { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] TgtSessionKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>KBKDF counter mode, one HMAC-SHA256 block: 00000001 || label || 00 || ctx || 00000100 (L = 256 bits).</summary>
    public static byte[] DeriveKeyByHand(byte[] sessionKey, byte[] context)
    {
        var label = Encoding.ASCII.GetBytes("AzureAD-SecureConversation");
        byte[] input = [0, 0, 0, 1, .. label, 0, .. context, 0, 0, 1, 0];
        return HMACSHA256.HashData(sessionKey, input);
    }

    public static string ClientKeyJwe(byte[] sessionKey, byte[] clientKey)
    {
        var context = RandomNumberGenerator.GetBytes(24);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            new JsonObject { ["alg"] = "dir", ["enc"] = "A256GCM", ["ctx"] = Convert.ToBase64String(context), ["kdf_ver"] = 1 }.ToJsonString()));
        var iv = RandomNumberGenerator.GetBytes(12);
        var ciphertext = new byte[clientKey.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(DeriveKeyByHand(sessionKey, context), 16))
        {
            aes.Encrypt(iv, clientKey, ciphertext, tag, Encoding.ASCII.GetBytes(header));
        }

        return string.Join('.', header, string.Empty, Base64Url.EncodeToString(iv), Base64Url.EncodeToString(ciphertext), Base64Url.EncodeToString(tag));
    }

    /// <summary>The whole answer to a session-key-signed request: {"alg":"dir","enc":"A256GCM","ctx"}, KDF v1, AAD = header segment.</summary>
    public static string SealAnswer(byte[] sessionKey, JsonObject answer)
    {
        var context = RandomNumberGenerator.GetBytes(24);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            new JsonObject { ["alg"] = "dir", ["enc"] = "A256GCM", ["ctx"] = Convert.ToBase64String(context) }.ToJsonString()));
        var plaintext = Encoding.UTF8.GetBytes(answer.ToJsonString());
        var iv = RandomNumberGenerator.GetBytes(12);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(DeriveKeyByHand(sessionKey, context), 16))
        {
            aes.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(header));
        }

        return string.Join('.', header, string.Empty, Base64Url.EncodeToString(iv), Base64Url.EncodeToString(ciphertext), Base64Url.EncodeToString(tag));
    }

    public static string SessionKeyJwe(RSA transportPublicKey, byte[] sessionKey)
    {
        var header = Base64Url.EncodeToString("""{"enc":"A256GCM","alg":"RSA-OAEP"}"""u8);
        var wrapped = transportPublicKey.Encrypt(sessionKey, RSAEncryptionPadding.OaepSHA1);

        // Parts 3-5 are never read by clients; random bytes of the right sizes stand in for the A256GCM of "{}".
        return string.Join('.', header, Base64Url.EncodeToString(wrapped), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(2)), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>A DER AS-REP for alice whose enc-part opens with <paramref name="clientKey"/>, usage 3.</summary>
    public byte[] AsRep(byte[] clientKey, string realm = Realm, DateTimeOffset? endTime = null, PrincipalName? serverName = null)
    {
        var kc = new KerberosKey(EncryptionType.Aes256CtsHmacSha196, clientKey);
        var krbtgt = serverName ?? PrincipalName.Krbtgt(realm);
        var part = new EncKdcRepPart
        {
            Key = new EncryptionKey { KeyType = EncryptionType.Aes256CtsHmacSha196, KeyValue = TgtSessionKey },
            LastRequests = [new LastReq { Type = 0, Value = AuthTime }],
            Nonce = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4)) & 0x7FFFFFFF,
            Flags = TicketFlags.Forwardable | TicketFlags.Renewable | TicketFlags.Initial | TicketFlags.PreAuthent,
            AuthTime = AuthTime,
            StartTime = AuthTime,
            EndTime = endTime ?? AuthTime.AddHours(10),
            RenewTill = AuthTime.AddDays(7),
            ServerRealm = realm,
            ServerName = krbtgt,
        };
        var reply = new AsRep
        {
            ClientRealm = realm,
            ClientName = new PrincipalName(PrincipalNameType.Enterprise, Upn),
            Ticket = new Ticket
            {
                Realm = realm,
                ServerName = krbtgt,
                EncryptedPart = new EncryptedData { EncryptionType = EncryptionType.Aes256CtsHmacSha196, KeyVersion = 1, Cipher = RandomNumberGenerator.GetBytes(200) },
            },
            EncryptedPart = EncryptedData.Encrypt(kc, KeyUsage.AsRepEncPart, part.Encode(), SystemKerberosRandom.Instance),
        };
        return reply.Encode();
    }

    public static string Envelope(string clientKey, int keyType, string messageBuffer, string realm, string error = "") => new JsonObject
    {
        ["clientKey"] = clientKey,
        ["keyType"] = keyType,
        ["messageBuffer"] = messageBuffer,
        ["realm"] = realm,
        ["sn"] = "krbtgt/" + realm,
        ["cn"] = Upn,
        ["sessionKeyType"] = keyType,
        ["accountType"] = 0,
        ["error"] = error,
    }.ToJsonString();

    /// <summary>A PRT response whose tgt_cloud is sealed for <paramref name="transportPublicKey"/>'s device.</summary>
    public JsonObject PrtResponse(RSA transportPublicKey) => new()
    {
        ["token_type"] = "Bearer",
        ["expires_in"] = "1209599",
        ["ext_expires_in"] = "0",
        ["expires_on"] = "1795000000",
        ["refresh_token"] = "opaque-prt",
        ["refresh_token_expires_in"] = 1209600,
        ["session_key_jwe"] = SessionKeyJwe(transportPublicKey, SessionKey),
        ["id_token"] = "e30." + Base64Url.EncodeToString("""{"upn":"alice@contoso.com","tid":"t1"}"""u8) + ".c2ln",
        ["client_info"] = Base64Url.EncodeToString("""{"uid":"u1","utid":"t1"}"""u8),
        ["tgt_cloud"] = Envelope(ClientKeyJwe(SessionKey, CloudClientKey), 18, Convert.ToBase64String(AsRep(CloudClientKey)), Realm),
        ["kerberos_top_level_names"] = ".windows.net,.azure.net",
    };

    /// <summary>A lab password-grant response: clientKey is the plain base64 of K_c.</summary>
    public JsonObject PasswordGrantResponse() => new()
    {
        ["token_type"] = "Bearer",
        ["expires_in"] = "3599",
        ["expires_on"] = "1795000000",
        ["tgt_cloud"] = Envelope(Convert.ToBase64String(CloudClientKey), 18, Convert.ToBase64String(AsRep(CloudClientKey)), Realm),
    };
}
