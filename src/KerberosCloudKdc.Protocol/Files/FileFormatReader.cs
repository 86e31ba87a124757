using System.Buffers.Binary;
using System.Text;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Files;

/// <summary>
/// A bounds-checked cursor over a file image. Every read that would run past the end, and every
/// length or count beyond <see cref="FileLimits"/>, becomes a <see cref="KerberosProtocolException"/>
/// naming the file kind, so callers never see IndexOutOfRange or OutOfMemory from bad input.
/// </summary>
internal ref struct FileFormatReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> data;
    private readonly string kind;
    private int position;

    public FileFormatReader(ReadOnlySpan<byte> data, string kind, bool littleEndian = false)
    {
        this.data = data;
        this.kind = kind;
        LittleEndian = littleEndian;
    }

    /// <summary>Only the old keytab version 0x501 stores numbers in (the writer's, in practice little-endian) host order.</summary>
    public bool LittleEndian { get; }

    public readonly int Position => position;

    public readonly int Remaining => data.Length - position;

    public readonly bool AtEnd => position == data.Length;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16()
    {
        var bytes = Take(2);
        return LittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }

    public uint ReadUInt32()
    {
        var bytes = Take(4);
        return LittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public int ReadInt32() => unchecked((int)ReadUInt32());

    public ReadOnlySpan<byte> ReadBytes(int length, int maxLength, string what)
    {
        if (length < 0 || length > maxLength)
        {
            throw Malformed($"{what} length out of range");
        }

        return Take(length);
    }

    /// <summary>Reads a UTF-8 string after its length has been read by the caller (16 or 32 bits depending on the format).</summary>
    public string ReadString(long length, string what)
    {
        var bytes = ReadBytes(length > FileLimits.MaxStringLength ? -1 : (int)length, FileLimits.MaxStringLength, what);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Decoding leniently would make a name that no longer matches the bytes it came from.
            throw Malformed($"{what} is not valid UTF-8");
        }
    }

    /// <summary>Checks a count against both the limit and the bytes left, before anything is allocated for it.</summary>
    public readonly int CheckCount(long count, int limit, int minBytesEach, string what)
    {
        if (count < 0 || count > limit || count * minBytesEach > Remaining)
        {
            throw Malformed($"{what} count out of range");
        }

        return (int)count;
    }

    public void Skip(int length)
    {
        _ = Take(length);
    }

    public readonly KerberosProtocolException Malformed(string reason) => new($"Malformed {kind}: {reason}.");

    public static PrincipalNameType NameType(uint value) => (PrincipalNameType)unchecked((int)value);

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw Malformed("unexpected end of data");
        }

        var slice = data.Slice(position, length);
        position += length;
        return slice;
    }
}
