using System.Formats.Asn1;

namespace KerberosCloudKdc.Protocol.Asn1;

/// <summary>A type that knows how to write itself as one DER element.</summary>
public interface IAsn1Encodable
{
    void WriteTo(AsnWriter writer);
}

/// <summary>
/// Entry points for turning Kerberos DER into records and back. Every decode goes through
/// <see cref="Decode{T}"/>, which is where the framework's exceptions for bad input become our one
/// <see cref="KerberosProtocolException"/> and where trailing bytes are refused.
/// </summary>
public static class KerberosAsn1
{
    /// <summary>Kerberos peers (MIT, Heimdal, Windows) all emit DER; accepting BER would only widen the attack surface.</summary>
    public const AsnEncodingRules Rules = AsnEncodingRules.DER;

    /// <summary>No legitimate SEQUENCE OF in a KDC message comes near this; it bounds work on hostile input.</summary>
    public const int MaxSequenceOfCount = 4096;

    public static Asn1Tag Context(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);

    public static Asn1Tag Application(int number) => new(TagClass.Application, number, isConstructed: true);

    public static T Decode<T>(ReadOnlyMemory<byte> encoded, Func<AsnReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Guard(() =>
        {
            var reader = new AsnReader(encoded, Rules);
            var value = read(reader);
            if (reader.HasData)
            {
                throw new KerberosProtocolException("Trailing data after the encoded value.");
            }

            return value;
        });
    }

    public static byte[] Encode(IAsn1Encodable value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var writer = new AsnWriter(Rules);
        value.WriteTo(writer);
        return writer.Encode();
    }

    /// <summary>Runs a decoding step, translating the framework's parse failures into ours.</summary>
    public static T Guard<T>(Func<T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        try
        {
            return decode();
        }
        catch (AsnContentException e)
        {
            throw new KerberosProtocolException("Malformed DER: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            // DecoderFallbackException (bad UTF-8) and out-of-range tag numbers land here.
            throw new KerberosProtocolException("Malformed DER value.", e);
        }
        catch (OverflowException e)
        {
            throw new KerberosProtocolException("Integer out of range.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new KerberosProtocolException("Malformed DER structure.", e);
        }
    }

    /// <summary>Reads the outer tag without consuming it, failing cleanly on empty or garbage input.</summary>
    public static Asn1Tag PeekTag(ReadOnlyMemory<byte> encoded) =>
        Guard(() => new AsnReader(encoded, Rules).PeekTag());
}
