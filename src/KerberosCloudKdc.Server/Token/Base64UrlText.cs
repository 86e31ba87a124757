using System.Buffers.Text;

namespace KerberosCloudKdc.Server.Token;

/// <summary>base64url decoding of client input that never throws (Base64Url.TryDecodeFromChars throws on bad characters).</summary>
internal static class Base64UrlText
{
    public static byte[]? TryDecode(string? text)
    {
        if (string.IsNullOrEmpty(text) || !Base64Url.IsValid(text))
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
