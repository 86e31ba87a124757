using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KerberosCloudKdc.Protocol.Files;

/// <summary>Big-endian serialization for the file formats (we only ever write the network-order versions).</summary>
internal sealed class FileFormatWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ArrayBufferWriter<byte> buffer = new(256);

    public int Length => buffer.WrittenCount;

    public void WriteByte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteInt32(int value) => WriteUInt32(unchecked((uint)value));

    public void WriteBytes(ReadOnlySpan<byte> value) => buffer.Write(value);

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    /// <summary>Throws (an ArgumentException) on unpaired surrogates instead of silently writing '?'.</summary>
    public static byte[] Utf8(string value) => StrictUtf8.GetBytes(value);
}
