using System.Buffers.Binary;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.3 PACTYPE { ULONG cBuffers; ULONG Version = 0; PAC_INFO_BUFFER Buffers[cBuffers]; }
// §2.4 PAC_INFO_BUFFER { ULONG ulType; ULONG cbBufferSize; ULONG64 Offset; } — Offset from the
// start of the PAC and a multiple of 8. Buffers must not overlap: signatures are checked over the
// PAC with signature fields zeroed, and an overlap would let zeroing change other content.

/// <summary>Where each buffer sits in an encoded PAC; shared by the decoder, the encoder and the signer.</summary>
internal sealed class PacLayout
{
    private const int HeaderLength = 8;
    private const int InfoBufferLength = 16;

    private PacLayout(IReadOnlyList<Entry> entries) => Entries = entries;

    public IReadOnlyList<Entry> Entries { get; }

    public Entry? Find(PacBufferType type) => Entries.FirstOrDefault(e => e.Type == type);

    /// <summary>Serialises <paramref name="buffers"/> and records the offsets it chose.</summary>
    public static (byte[] Bytes, PacLayout Layout) Encode(IReadOnlyList<PacBuffer> buffers)
    {
        if (buffers.Count > PacLimits.MaxBuffers)
        {
            throw new ArgumentException($"A PAC holds at most {PacLimits.MaxBuffers} buffers.", nameof(buffers));
        }

        var payloads = buffers.Select(b => b.Encode()).ToArray();
        var entries = new Entry[payloads.Length];
        long offset = HeaderLength + (InfoBufferLength * payloads.Length);
        for (var i = 0; i < payloads.Length; i++)
        {
            entries[i] = new Entry(buffers[i].Type, (int)offset, payloads[i].Length);
            offset += Align8(payloads[i].Length);
        }

        if (offset > PacLimits.MaxPacBytes)
        {
            throw new ArgumentException("The encoded PAC would be too large.", nameof(buffers));
        }

        var bytes = new byte[offset];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)payloads.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var info = bytes.AsSpan(HeaderLength + (InfoBufferLength * i), InfoBufferLength);
            BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(info[4..], (uint)entries[i].Length);
            BinaryPrimitives.WriteUInt64LittleEndian(info[8..], (ulong)entries[i].Offset);
            payloads[i].CopyTo(bytes, entries[i].Offset);
        }

        return (bytes, new PacLayout(entries));
    }

    public static PacLayout Parse(ReadOnlySpan<byte> pac)
    {
        if (pac.Length > PacLimits.MaxPacBytes)
        {
            throw new KerberosProtocolException("PAC is too large.");
        }

        var r = new PacReader(pac, "PAC");
        var count = r.ReadUInt32();
        if (count == 0 || count > PacLimits.MaxBuffers)
        {
            throw new KerberosProtocolException("PAC buffer count is out of range.");
        }

        if (r.ReadUInt32() != 0)
        {
            throw new KerberosProtocolException("PAC version is not 0.");
        }

        var entries = new Entry[count];
        var headerEnd = HeaderLength + (InfoBufferLength * (int)count);
        for (var i = 0; i < entries.Length; i++)
        {
            var type = (PacBufferType)r.ReadUInt32();
            var size = r.ReadUInt32();
            var offset = r.ReadUInt64();
            if (offset % 8 != 0 || offset < (ulong)headerEnd || offset > (ulong)pac.Length || size > (ulong)pac.Length - offset)
            {
                throw new KerberosProtocolException("PAC buffer lies outside the PAC.");
            }

            entries[i] = new Entry(type, (int)offset, (int)size);
        }

        if (PrivilegeAttributeCertificate.FindDuplicateKnownType(entries.Select(e => e.Type)) is not null)
        {
            throw new KerberosProtocolException("PAC holds a buffer type twice.");
        }

        CheckNoOverlap(entries);
        var end = entries.Max(e => e.Offset + e.Length);
        if (pac.Length > Align8(Math.Max(end, headerEnd)))
        {
            throw new KerberosProtocolException("PAC has trailing data.");
        }

        return new PacLayout(entries);
    }

    private static void CheckNoOverlap(Entry[] entries)
    {
        var sorted = entries.OrderBy(e => e.Offset).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Offset + sorted[i - 1].Length > sorted[i].Offset)
            {
                throw new KerberosProtocolException("PAC buffers overlap.");
            }
        }
    }

    private static long Align8(long value) => (value + 7) & ~7L;

    private static int Align8(int value) => (value + 7) & ~7;

    internal readonly record struct Entry(PacBufferType Type, int Offset, int Length);
}
