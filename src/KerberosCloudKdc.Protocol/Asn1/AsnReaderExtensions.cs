using System.Formats.Asn1;
using System.Numerics;
using System.Text;

namespace KerberosCloudKdc.Protocol.Asn1;

/// <summary>
/// Reading helpers for the Kerberos ASN.1 idioms System.Formats.Asn1 lacks: explicit context tags,
/// GeneralString, KerberosTime, KerberosFlags and the lenient UInt32 form Windows peers send.
/// </summary>
public static class AsnReaderExtensions
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Opens an explicit [n] wrapper and checks that it held exactly what <paramref name="read"/> consumed.</summary>
    public static T ReadExplicit<T>(this AsnReader reader, int tagNumber, Func<AsnReader, T> read)
    {
        var inner = reader.ReadSequence(KerberosAsn1.Context(tagNumber));
        var value = read(inner);
        inner.ThrowIfNotEmpty();
        return value;
    }

    public static bool NextIs(this AsnReader reader, int tagNumber) =>
        reader.HasData && reader.PeekTag().HasSameClassAndValue(KerberosAsn1.Context(tagNumber));

    public static T? ReadOptional<T>(this AsnReader reader, int tagNumber, Func<AsnReader, T> read)
        where T : class =>
        reader.NextIs(tagNumber) ? reader.ReadExplicit(tagNumber, read) : null;

    public static T? ReadOptionalValue<T>(this AsnReader reader, int tagNumber, Func<AsnReader, T> read)
        where T : struct =>
        reader.NextIs(tagNumber) ? reader.ReadExplicit(tagNumber, read) : null;

    /// <summary>Opens [APPLICATION n] { SEQUENCE { … } } and returns a reader over the sequence's fields.</summary>
    public static AsnReader ReadApplicationSequence(this AsnReader reader, int applicationNumber, out AsnReader application)
    {
        application = reader.ReadSequence(KerberosAsn1.Application(applicationNumber));
        return application.ReadSequence();
    }

    public static int ReadInt32Value(this AsnReader reader)
    {
        if (!reader.TryReadInt32(out var value))
        {
            throw new KerberosProtocolException("Integer does not fit Int32.");
        }

        return value;
    }

    /// <summary>
    /// UInt32 fields (nonce, kvno, seq-number): RFC 4120 says unsigned, but Windows writes them as signed
    /// 32-bit, so a negative 4-byte value is the same number. Both forms are accepted.
    /// </summary>
    public static uint ReadUInt32Lenient(this AsnReader reader)
    {
        BigInteger value = reader.ReadInteger();
        if (value >= 0 && value <= uint.MaxValue)
        {
            return (uint)value;
        }

        if (value < 0 && value >= int.MinValue)
        {
            return unchecked((uint)(int)value);
        }

        throw new KerberosProtocolException("Integer does not fit UInt32.");
    }

    /// <summary>Microseconds fields (Microseconds ::= INTEGER (0..999999)).</summary>
    public static int ReadMicroseconds(this AsnReader reader)
    {
        var value = reader.ReadInt32Value();
        if (value is < 0 or > 999_999)
        {
            throw new KerberosProtocolException("Microseconds out of range.");
        }

        return value;
    }

    /// <summary>KerberosString / Realm: GeneralString (universal 27). Content is read as UTF-8, which covers IA5.</summary>
    public static string ReadGeneralString(this AsnReader reader)
    {
        var tlv = reader.ReadEncodedValue();
        var tag = Asn1Tag.Decode(tlv.Span, out _);
        if (!tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.GeneralString)) || tag.IsConstructed)
        {
            throw new KerberosProtocolException("Expected a GeneralString.");
        }

        AsnDecoder.ReadEncodedValue(tlv.Span, KerberosAsn1.Rules, out var offset, out var length, out _);
        return StrictUtf8.GetString(tlv.Span.Slice(offset, length));
    }

    /// <summary>KerberosTime ::= GeneralizedTime, always UTC with no fractional seconds (RFC 4120 §5.2.3).</summary>
    public static DateTimeOffset ReadKerberosTime(this AsnReader reader)
    {
        // The fraction is checked in the text: digits finer than a tick parse to a whole second.
        var content = reader.PeekContentBytes();
        var value = reader.ReadGeneralizedTime();
        if (value.Ticks % TimeSpan.TicksPerSecond != 0 || content.Span.IndexOfAny((byte)'.', (byte)',') >= 0)
        {
            throw new KerberosProtocolException("KerberosTime must not carry fractional seconds.");
        }

        return value;
    }

    /// <summary>
    /// KerberosFlags: a BIT STRING of at least 32 bits where bit 0 is the most significant bit of the first
    /// octet. Returned as a big-endian uint so flag enums can use 0x80000000 for bit 0. Bits past 31 are
    /// reserved and ignored.
    /// </summary>
    public static uint ReadKerberosFlags(this AsnReader reader)
    {
        var bits = reader.ReadBitString(out _);
        Span<byte> first = stackalloc byte[4];
        first.Clear();
        bits.AsSpan(0, Math.Min(4, bits.Length)).CopyTo(first);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(first);
    }

    public static ReadOnlyMemory<byte> ReadOctets(this AsnReader reader) => reader.ReadOctetString();

    /// <summary>Reads SEQUENCE OF T with a bound on the element count.</summary>
    public static IReadOnlyList<T> ReadSequenceOf<T>(this AsnReader reader, Func<AsnReader, T> readElement)
    {
        var sequence = reader.ReadSequence();
        var items = new List<T>();
        while (sequence.HasData)
        {
            if (items.Count == KerberosAsn1.MaxSequenceOfCount)
            {
                throw new KerberosProtocolException("Too many elements in a SEQUENCE OF.");
            }

            items.Add(readElement(sequence));
        }

        return items;
    }
}
