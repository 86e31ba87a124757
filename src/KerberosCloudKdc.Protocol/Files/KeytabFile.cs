using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Files;

// MIT keytab layout. A 16-bit version (0x0502: big-endian numbers; 0x0501: the writer's host order,
// and the component count then includes the realm, and there is no name type) is followed by
// records, each a signed 32-bit length and that many bytes. A negative length marks a deleted
// record ("hole") of that many bytes to skip; a zero length or the end of the file ends the list.
// A record holds: component count (16 bits), realm and each component (16-bit length + bytes),
// name type (32 bits), timestamp (32-bit seconds), kvno (8 bits), enctype (16 bits), key
// (16-bit length + bytes), and, when at least four bytes are left, a 32-bit kvno that replaces
// the 8-bit one unless it is zero. Anything after that in a record is ignored.

/// <summary>An MIT keytab file: the long-term keys a service uses to decrypt its tickets.</summary>
public sealed class KeytabFile
{
    private const ushort Version1 = 0x0501;
    private const ushort Version2 = 0x0502;
    private const string Kind = "keytab";

    public KeytabFile(IEnumerable<KeytabEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries.ToArray();
        if (Entries.Any(e => e is null))
        {
            throw new ArgumentException("Entries cannot contain null.", nameof(entries));
        }
    }

    public IReadOnlyList<KeytabEntry> Entries { get; }

    public static KeytabFile Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length > FileLimits.MaxFileSize)
        {
            throw new KerberosProtocolException("Malformed keytab: file too large.");
        }

        if (data.Length < 2 || data[0] != 0x05 || (data[1] != 0x01 && data[1] != 0x02))
        {
            throw new KerberosProtocolException("Malformed keytab: unknown version.");
        }

        var version = (ushort)((data[0] << 8) | data[1]);
        var reader = new FileFormatReader(data[2..], Kind, littleEndian: version == Version1);
        var entries = new List<KeytabEntry>();
        while (reader.Remaining > 0)
        {
            var size = reader.ReadInt32();
            if (size == 0)
            {
                // MIT stops here too: space after a zero length is unused.
                break;
            }

            if (size < 0)
            {
                // -int.MinValue does not fit an int; no real hole is that large anyway.
                reader.Skip(size == int.MinValue ? -1 : -size);
                continue;
            }

            var record = reader.ReadBytes(size, FileLimits.MaxFileSize, "record");
            var recordReader = new FileFormatReader(record, Kind, reader.LittleEndian);
            entries.Add(ReadEntry(ref recordReader, version));
        }

        return new KeytabFile(entries);
    }

    public static async Task<KeytabFile> ReadAsync(string path, CancellationToken ct = default) =>
        Parse(await SecretFile.ReadAsync(path, Kind, ct).ConfigureAwait(false));

    /// <summary>Always version 0x0502 with the 32-bit kvno, which is what MIT has written since 1.x.</summary>
    public byte[] ToArray()
    {
        var writer = new FileFormatWriter();
        writer.WriteUInt16(Version2);
        foreach (var entry in Entries)
        {
            var record = WriteEntry(entry);
            writer.WriteInt32(record.Length);
            writer.WriteBytes(record);
        }

        return writer.ToArray();
    }

    /// <summary>Replaces the file atomically, readable and writable by the owner only.</summary>
    public Task WriteAsync(string path, CancellationToken ct = default) => SecretFile.WriteAsync(path, ToArray(), ct);

    private static KeytabEntry ReadEntry(ref FileFormatReader reader, ushort version)
    {
        int count = reader.ReadUInt16();
        if (version == Version1)
        {
            // Version 1 counted the realm as a component.
            count--;
        }

        count = reader.CheckCount(count, FileLimits.MaxComponents, 2, "component");
        var realm = reader.ReadString(reader.ReadUInt16(), "realm");
        if (realm.Length == 0)
        {
            throw reader.Malformed("empty realm");
        }

        var components = new string[count];
        for (var i = 0; i < count; i++)
        {
            components[i] = reader.ReadString(reader.ReadUInt16(), "name component");
        }

        var nameType = version == Version1 ? PrincipalNameType.Unknown : FileFormatReader.NameType(reader.ReadUInt32());
        var timestamp = FileTime.FromSeconds(reader.ReadUInt32());
        uint kvno = reader.ReadByte();
        var enctype = (EncryptionType)reader.ReadUInt16();
        var key = new KerberosKey(enctype, reader.ReadBytes(reader.ReadUInt16(), FileLimits.MaxKeyLength, "key"));
        if (reader.Remaining >= 4)
        {
            // Zero means "not recorded" (old writers padded records), so the 8-bit value stands.
            var kvno32 = reader.ReadUInt32();
            if (kvno32 != 0)
            {
                kvno = kvno32;
            }
        }

        return new KeytabEntry(realm, new PrincipalName(nameType, components), kvno, key, timestamp);
    }

    private static byte[] WriteEntry(KeytabEntry entry)
    {
        var writer = new FileFormatWriter();
        writer.WriteUInt16((ushort)entry.Principal.Components.Count);
        WriteString(writer, entry.Realm);
        foreach (var component in entry.Principal.Components)
        {
            WriteString(writer, component);
        }

        writer.WriteInt32((int)entry.Principal.Type);
        writer.WriteUInt32(FileTime.ToSeconds(entry.Timestamp));
        writer.WriteByte(unchecked((byte)entry.Kvno));
        writer.WriteUInt16((ushort)entry.Key.EncryptionType);
        writer.WriteUInt16((ushort)entry.Key.Value.Length);
        writer.WriteBytes(entry.Key.Value);
        writer.WriteUInt32(entry.Kvno);
        return writer.ToArray();
    }

    private static void WriteString(FileFormatWriter writer, string value)
    {
        var bytes = FileFormatWriter.Utf8(value);
        if (bytes.Length > FileLimits.MaxStringLength)
        {
            throw new ArgumentException("A realm or name component is too long for a keytab.", nameof(value));
        }

        writer.WriteUInt16((ushort)bytes.Length);
        writer.WriteBytes(bytes);
    }
}
