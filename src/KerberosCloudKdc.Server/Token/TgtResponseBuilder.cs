using System.Text.Json;
using KerberosCloudKdc.Kdc.Engine;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// The tgt_cloud / tgt_ad values (docs/token-path.md §1.3): a JSON object serialised to a string, because
/// that string (not an object) is what clients json.loads. keyType 0 with an error means "no ticket".
/// </summary>
internal static class TgtResponseBuilder
{
    /// <summary>Kerberos etype of K_c and of the session key Entra reports (AES256-CTS-HMAC-SHA1-96).</summary>
    public const int Aes256 = 18;

    public static string Ticket(IssuedTicket issued, string clientKey, string realm, string serverName, string clientName)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return Write(clientKey, Aes256, Convert.ToBase64String(issued.Encode()), realm, serverName, clientName, (int)issued.SessionKey.EncryptionType, string.Empty);
    }

    public static string NoTicket(string realm, string serverName, string clientName, string error) =>
        Write(string.Empty, 0, string.Empty, realm, serverName, clientName, 0, error);

    private static string Write(string clientKey, int keyType, string messageBuffer, string realm, string serverName, string clientName, int sessionKeyType, string error)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("clientKey", clientKey);
            w.WriteNumber("keyType", keyType);
            w.WriteString("messageBuffer", messageBuffer);
            w.WriteString("realm", realm);
            w.WriteString("sn", serverName);
            w.WriteString("cn", clientName);
            w.WriteNumber("sessionKeyType", sessionKeyType);

            // 0 = unknown: the emulator does not model Entra's account types.
            w.WriteNumber("accountType", 0);
            w.WriteString("error", error);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
