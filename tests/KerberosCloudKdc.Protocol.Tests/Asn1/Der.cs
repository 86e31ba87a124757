using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Asn1;

/// <summary>Small helpers for writing hand-derived DER in tests.</summary>
internal static class Der
{
    /// <summary>Parses hex with optional spaces: "30 05 A0 03".</summary>
    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static byte[] Write(Action<AsnWriter> write)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        write(writer);
        return writer.Encode();
    }

    public static T Read<T>(byte[] encoded, Func<AsnReader, T> read) => KerberosAsn1.Decode(encoded, read);

    /// <summary>A DER length header for <paramref name="length"/>, derived independently of the code under test.</summary>
    public static byte[] Length(int length)
    {
        if (length < 0x80)
        {
            return [(byte)length];
        }

        var octets = new List<byte>();
        for (var remaining = length; remaining > 0; remaining >>= 8)
        {
            octets.Insert(0, (byte)remaining);
        }

        octets.Insert(0, (byte)(0x80 | octets.Count));
        return [.. octets];
    }

    /// <summary>A TLV with the given one-byte tag.</summary>
    public static byte[] Tlv(byte tag, ReadOnlySpan<byte> content) => [tag, .. Length(content.Length), .. content];
}
