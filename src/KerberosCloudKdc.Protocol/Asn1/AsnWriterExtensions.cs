using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Text;

namespace KerberosCloudKdc.Protocol.Asn1;

/// <summary>Writing counterparts of <see cref="AsnReaderExtensions"/>.</summary>
public static class AsnWriterExtensions
{
    /// <summary>Opens an explicit [n] wrapper; dispose the scope to close it.</summary>
    public static AsnWriter.Scope PushExplicit(this AsnWriter writer, int tagNumber) =>
        writer.PushSequence(KerberosAsn1.Context(tagNumber));

    public static AsnWriter.Scope PushApplication(this AsnWriter writer, int applicationNumber) =>
        writer.PushSequence(KerberosAsn1.Application(applicationNumber));

    public static void WriteExplicit(this AsnWriter writer, int tagNumber, IAsn1Encodable value)
    {
        using (writer.PushExplicit(tagNumber))
        {
            value.WriteTo(writer);
        }
    }

    public static void WriteExplicitInt32(this AsnWriter writer, int tagNumber, int value)
    {
        using (writer.PushExplicit(tagNumber))
        {
            writer.WriteInteger(value);
        }
    }

    /// <summary>UInt32 fields are written as signed 32-bit, the form Windows and Heimdal use and MIT accepts.</summary>
    public static void WriteExplicitUInt32(this AsnWriter writer, int tagNumber, uint value)
    {
        using (writer.PushExplicit(tagNumber))
        {
            writer.WriteInteger(unchecked((int)value));
        }
    }

    public static void WriteExplicitGeneralString(this AsnWriter writer, int tagNumber, string value)
    {
        using (writer.PushExplicit(tagNumber))
        {
            writer.WriteGeneralString(value);
        }
    }

    public static void WriteExplicitKerberosTime(this AsnWriter writer, int tagNumber, DateTimeOffset value)
    {
        using (writer.PushExplicit(tagNumber))
        {
            writer.WriteKerberosTime(value);
        }
    }

    public static void WriteExplicitOctets(this AsnWriter writer, int tagNumber, ReadOnlySpan<byte> value)
    {
        using (writer.PushExplicit(tagNumber))
        {
            writer.WriteOctetString(value);
        }
    }

    public static void WriteExplicitFlags(this AsnWriter writer, int tagNumber, uint flags)
    {
        using (writer.PushExplicit(tagNumber))
        {
            writer.WriteKerberosFlags(flags);
        }
    }

    /// <summary>
    /// GeneralString (universal 27). System.Formats.Asn1's WriteCharacterString has no GeneralString
    /// encoding, so the TLV is assembled here: tag, DER length, UTF-8 content.
    /// </summary>
    public static void WriteGeneralString(this AsnWriter writer, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var content = Encoding.UTF8.GetBytes(value);
        Span<byte> header = stackalloc byte[6];
        header[0] = 0x1B;
        var headerLength = 1 + WriteDerLength(header[1..], content.Length);
        var tlv = new byte[headerLength + content.Length];
        header[..headerLength].CopyTo(tlv);
        content.CopyTo(tlv, headerLength);
        writer.WriteEncodedValue(tlv);
    }

    /// <summary>KerberosTime: whole seconds, UTC, "YYYYMMDDHHMMSSZ".</summary>
    public static void WriteKerberosTime(this AsnWriter writer, DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        writer.WriteGeneralizedTime(utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)), omitFractionalSeconds: true);
    }

    /// <summary>KerberosFlags: always 32 bits, because RFC 4120 forbids trimming trailing zero bits.</summary>
    public static void WriteKerberosFlags(this AsnWriter writer, uint flags)
    {
        Span<byte> bits = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bits, flags);
        writer.WriteBitString(bits);
    }

    public static void WriteSequenceOf<T>(this AsnWriter writer, IEnumerable<T> items)
        where T : IAsn1Encodable
    {
        using (writer.PushSequence())
        {
            foreach (var item in items)
            {
                item.WriteTo(writer);
            }
        }
    }

    private static int WriteDerLength(Span<byte> destination, int length)
    {
        if (length < 0x80)
        {
            destination[0] = (byte)length;
            return 1;
        }

        var octets = length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : length <= 0xFFFFFF ? 3 : 4;
        destination[0] = (byte)(0x80 | octets);
        for (var i = 0; i < octets; i++)
        {
            destination[octets - i] = (byte)(length >> (8 * i));
        }

        return 1 + octets;
    }
}
