using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// The two compact JWEs of a PRT response (docs/token-path.md §1.3): session_key_jwe (the session key
/// RSA-OAEP-wrapped to the device transport key) and clientKey (a Kerberos key under the key derived from
/// the session key). Both use A256GCM with a 12-byte IV and the ASCII header segment as AAD.
/// </summary>
internal static class CompactJwe
{
    private const int IvLength = 12;
    private const int TagLength = 16;

    /// <summary>Wraps <paramref name="sessionKey"/> to the transport key; parts 3-5 are "{}" under the session key as CEK.</summary>
    public static string SessionKey(ReadOnlySpan<byte> sessionKey, byte[] transportKeySpki, IKerberosRandom random)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(transportKeySpki, out _);

        // SHA-1 OAEP is what Windows and ROADtools use for this JWE ("RSA-OAEP" in JOSE terms).
        var wrapped = rsa.Encrypt(sessionKey.ToArray(), RSAEncryptionPadding.OaepSHA1);
        var header = Segment(Encoding.UTF8.GetBytes("""{"enc":"A256GCM","alg":"RSA-OAEP"}"""));
        return Seal(header, Base64Url.EncodeToString(wrapped), sessionKey, "{}"u8, random);
    }

    /// <summary>Protects a raw Kerberos key (K_c) under KDF(sessionKey, ctx), with a fresh random 24-byte ctx.</summary>
    public static string ClientKey(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> kerberosKey, IKerberosRandom random) =>
        Derived(sessionKey, kerberosKey, random, "\",\"kdf_ver\":1}");

    /// <summary>
    /// The whole answer to a session-key-signed request (facts §3.4): the response JSON under KDF v1 of a fresh
    /// ctx, header {"alg":"dir","enc":"A256GCM","ctx"} as AADInternals' and ROADtools' decoders expect it.
    /// </summary>
    public static string Response(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> json, IKerberosRandom random) =>
        Derived(sessionKey, json, random, "\"}");

    private static string Derived(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> plaintext, IKerberosRandom random, string headerTail)
    {
        Span<byte> context = stackalloc byte[SecureConversationKey.ContextLength];
        random.Fill(context);
        var derived = SecureConversationKey.Derive(sessionKey, context);
        try
        {
            var header = Segment(Encoding.UTF8.GetBytes(
                "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"ctx\":\"" + Convert.ToBase64String(context) + headerTail));
            return Seal(header, string.Empty, derived, plaintext, random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    private static string Seal(string header, string encryptedKey, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, IKerberosRandom random)
    {
        Span<byte> iv = stackalloc byte[IvLength];
        random.Fill(iv);
        var ciphertext = new byte[plaintext.Length];
        Span<byte> tag = stackalloc byte[TagLength];
        using (var gcm = new AesGcm(key, TagLength))
        {
            gcm.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(header));
        }

        return string.Join('.', header, encryptedKey, Base64Url.EncodeToString(iv), Base64Url.EncodeToString(ciphertext), Base64Url.EncodeToString(tag));
    }

    private static string Segment(byte[] json) => Base64Url.EncodeToString(json);
}
