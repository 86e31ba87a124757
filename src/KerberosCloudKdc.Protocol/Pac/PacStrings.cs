using System.Text;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC strings are UTF-16LE without terminator (MS-DTYP §2.3.10 RPC_UNICODE_STRING, §2.7, §2.10).

/// <summary>Strict UTF-16LE conversion: odd lengths and lone surrogates are malformed, not replaced.</summary>
internal static class PacStrings
{
    private static readonly UnicodeEncoding Strict = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length % 2 != 0)
        {
            throw new KerberosProtocolException($"{what} has an odd byte length.");
        }

        if (bytes.Length / 2 > PacLimits.MaxStringChars)
        {
            throw new KerberosProtocolException($"{what} is too long.");
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new KerberosProtocolException($"{what} is not valid UTF-16.", ex);
        }
    }

    public static byte[] Encode(string value, string what)
    {
        if (value.Length > PacLimits.MaxStringChars)
        {
            throw new ArgumentException($"{what} is longer than {PacLimits.MaxStringChars} characters.", nameof(value));
        }

        try
        {
            return Strict.GetBytes(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"{what} is not valid UTF-16.", nameof(value), ex);
        }
    }
}
