using System.Buffers.Binary;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2 / MS-RPCE §2.2.5 (NDR20): little-endian, primitives aligned to their size.

/// <summary>A growable little-endian buffer with NDR-style alignment (pads with zeros).</summary>
internal sealed class PacWriter
{
    private byte[] buffer = new byte[256];

    public int Position { get; private set; }

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Grow(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);

    public void WriteByte(byte value) => Grow(1)[0] = value;

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Grow(value.Length));

    public void Align(int boundary)
    {
        var misalignment = Position % boundary;
        if (misalignment != 0)
        {
            Grow(boundary - misalignment).Clear();
        }
    }

    /// <summary>Overwrites four bytes already written, for length fields only known once the body is done.</summary>
    public void PatchUInt32(int offset, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset, 4), value);

    public void PatchUInt16(int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(offset, 2), value);

    public byte[] ToArray() => buffer.AsSpan(0, Position).ToArray();

    private Span<byte> Grow(int count)
    {
        if (Position + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Position + count));
        }

        var span = buffer.AsSpan(Position, count);
        Position += count;
        return span;
    }
}
