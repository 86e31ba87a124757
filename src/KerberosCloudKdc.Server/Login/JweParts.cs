using System.Buffers.Text;

namespace KerberosCloudKdc.Server.Login;

/// <summary>Decoding of compact-JWE segments and standard base64 fields, with errors that name the field.</summary>
internal static class JweParts
{
    public static byte[] Decode(string segment, string what)
    {
        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException e)
        {
            throw new LoginException($"{what} is not valid base64url", e);
        }
    }

    public static byte[] DecodeStandard(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new LoginException($"{what} is not valid base64", e);
        }
    }
}
