using System.Buffers.Binary;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2 / MS-RPCE §2.2.5 (NDR20): every PAC field is little-endian, and NDR aligns each
// primitive to its own size relative to the start of the stream.

/// <summary>
/// A bounds-checked little-endian cursor. Every read that would run past the end throws
/// <see cref="KerberosProtocolException"/>, so no PAC parser can ever index out of range.
/// </summary>
internal ref struct PacReader
{
    private readonly ReadOnlySpan<byte> data;
    private readonly string what;

    public PacReader(ReadOnlySpan<byte> data, string what)
    {
        this.data = data;
        this.what = what;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => data.Length - Position;

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public byte ReadByte() => Take(1)[0];

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0)
        {
            throw Truncated();
        }

        return Take(count);
    }

    /// <summary>NDR pads before a primitive so it starts at a multiple of its size; the pad bytes carry nothing.</summary>
    public void Align(int boundary)
    {
        var misalignment = Position % boundary;
        if (misalignment != 0)
        {
            Take(boundary - misalignment);
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw Truncated();
        }

        var slice = data.Slice(Position, count);
        Position += count;
        return slice;
    }

    private readonly KerberosProtocolException Truncated() => new($"{what} is truncated.");
}
