using System.Buffers.Binary;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Files;

// MIT FILE credential cache layout, all numbers big-endian. A 16-bit version: 0x0504, or 0x0503,
// which lacks the header and stores each key's enctype twice. Version 4 then has a 16-bit header
// length and that many bytes of tags (16-bit tag, 16-bit length, value; tag 1 is the KDC clock
// offset as two signed 32-bit numbers, seconds and microseconds). Next the default principal and
// then credentials until the end of the file. A principal is a 32-bit name type, a 32-bit
// component count, the realm and the components (each a 32-bit length and bytes). A credential
// is: client and server principals; key (16-bit enctype, 32-bit length, bytes); authtime,
// starttime, endtime, renew-till (unsigned 32-bit seconds); is_skey (one byte); ticket flags
// (32 bits); addresses and authorization data (a 32-bit count of 16-bit type + 32-bit length +
// bytes); the ticket and the second ticket (32-bit length + DER bytes).

/// <summary>An MIT FILE credential cache: a client's default principal and its tickets.</summary>
public sealed class CredentialCache
{
    private const ushort Version3 = 0x0503;
    private const ushort Version4 = 0x0504;
    private const string Kind = "credential cache";

    public CredentialCache(
        string defaultRealm,
        PrincipalName defaultPrincipal,
        IEnumerable<CachedCredential> credentials,
        IEnumerable<CredentialCacheTag>? tags = null,
        int version = 4)
    {
        ArgumentNullException.ThrowIfNull(defaultRealm);
        ArgumentNullException.ThrowIfNull(defaultPrincipal);
        ArgumentNullException.ThrowIfNull(credentials);
        if (version is not (3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(version), "Only versions 3 and 4 are supported.");
        }

        // MIT always writes a zero clock offset, so a fresh cache matches one kinit would write.
        Tags = (tags ?? (version == 4 ? [new CredentialCacheTag(CredentialCacheTag.KdcTimeOffset, new byte[8])] : [])).ToArray();
        if (version == 3 && Tags.Count > 0)
        {
            throw new ArgumentException("Version 3 caches have no header tags.", nameof(tags));
        }

        DefaultRealm = defaultRealm;
        DefaultPrincipal = defaultPrincipal;
        Credentials = credentials.ToArray();
        Version = version;
    }

    /// <summary>3 or 4 (the low byte of the file's 0x050N); files are written in the version they were read in.</summary>
    public int Version { get; }

    public IReadOnlyList<CredentialCacheTag> Tags { get; }

    public string DefaultRealm { get; }

    public PrincipalName DefaultPrincipal { get; }

    public IReadOnlyList<CachedCredential> Credentials { get; }

    /// <summary>KDC time minus local time as recorded by the client, or null when the header has none.</summary>
    public TimeSpan? KdcTimeOffset
    {
        get
        {
            foreach (var tag in Tags)
            {
                if (tag.Tag == CredentialCacheTag.KdcTimeOffset && tag.Value.Length == 8)
                {
                    var span = tag.Value.Span;
                    var seconds = BinaryPrimitives.ReadInt32BigEndian(span);
                    var microseconds = BinaryPrimitives.ReadInt32BigEndian(span[4..]);
                    return TimeSpan.FromSeconds(seconds) + TimeSpan.FromMicroseconds(microseconds);
                }
            }

            return null;
        }
    }

    public static CredentialCache Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length > FileLimits.MaxFileSize)
        {
            throw new KerberosProtocolException("Malformed credential cache: file too large.");
        }

        var reader = new FileFormatReader(data, Kind);
        var version = reader.ReadUInt16() switch
        {
            Version3 => 3,
            Version4 => 4,
            _ => throw reader.Malformed("unsupported version"),
        };
        var tags = version == 4 ? ReadHeader(ref reader) : [];
        var (defaultRealm, defaultPrincipal) = ReadPrincipal(ref reader);
        var credentials = new List<CachedCredential>();
        while (!reader.AtEnd)
        {
            credentials.Add(ReadCredential(ref reader, version));
        }

        return new CredentialCache(defaultRealm, defaultPrincipal, credentials, tags, version);
    }

    public static async Task<CredentialCache> ReadAsync(string path, CancellationToken ct = default) =>
        Parse(await SecretFile.ReadAsync(path, Kind, ct).ConfigureAwait(false));

    public byte[] ToArray()
    {
        var writer = new FileFormatWriter();
        writer.WriteUInt16(Version == 4 ? Version4 : Version3);
        if (Version == 4)
        {
            WriteHeader(writer, Tags);
        }

        WritePrincipal(writer, DefaultRealm, DefaultPrincipal);
        foreach (var credential in Credentials)
        {
            WriteCredential(writer, credential, Version);
        }

        return writer.ToArray();
    }

    /// <summary>Replaces the file atomically, readable and writable by the owner only, as MIT creates caches.</summary>
    public Task WriteAsync(string path, CancellationToken ct = default) => SecretFile.WriteAsync(path, ToArray(), ct);

    private static List<CredentialCacheTag> ReadHeader(ref FileFormatReader reader)
    {
        var header = reader.ReadBytes(reader.ReadUInt16(), ushort.MaxValue, "header");
        var headerReader = new FileFormatReader(header, Kind);
        var tags = new List<CredentialCacheTag>();
        while (!headerReader.AtEnd)
        {
            var tag = headerReader.ReadUInt16();
            var value = headerReader.ReadBytes(headerReader.ReadUInt16(), ushort.MaxValue, "header tag").ToArray();

            // MIT rejects a clock-offset tag of any other size, so we do too.
            if (tag == CredentialCacheTag.KdcTimeOffset && value.Length != 8)
            {
                throw headerReader.Malformed("bad clock offset tag");
            }

            tags.Add(new CredentialCacheTag(tag, value));
        }

        return tags;
    }

    private static void WriteHeader(FileFormatWriter writer, IReadOnlyList<CredentialCacheTag> tags)
    {
        var length = tags.Sum(t => 4 + t.Value.Length);
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException("Header tags do not fit the 16-bit header length.");
        }

        writer.WriteUInt16((ushort)length);
        foreach (var tag in tags)
        {
            writer.WriteUInt16(tag.Tag);
            writer.WriteUInt16((ushort)tag.Value.Length);
            writer.WriteBytes(tag.Value.Span);
        }
    }

    private static (string Realm, PrincipalName Name) ReadPrincipal(ref FileFormatReader reader)
    {
        var nameType = FileFormatReader.NameType(reader.ReadUInt32());
        var count = reader.CheckCount(reader.ReadUInt32(), FileLimits.MaxComponents, 4, "component");
        var realm = reader.ReadString(reader.ReadUInt32(), "realm");
        var components = new string[count];
        for (var i = 0; i < count; i++)
        {
            components[i] = reader.ReadString(reader.ReadUInt32(), "name component");
        }

        return (realm, new PrincipalName(nameType, components));
    }

    private static void WritePrincipal(FileFormatWriter writer, string realm, PrincipalName name)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Components.Count > FileLimits.MaxComponents)
        {
            throw new InvalidOperationException("Too many name components for a credential cache.");
        }

        writer.WriteInt32((int)name.Type);
        writer.WriteUInt32((uint)name.Components.Count);
        WriteString(writer, realm);
        foreach (var component in name.Components)
        {
            WriteString(writer, component);
        }
    }

    private static CachedCredential ReadCredential(ref FileFormatReader reader, int version)
    {
        var (clientRealm, client) = ReadPrincipal(ref reader);
        var (serverRealm, server) = ReadPrincipal(ref reader);
        var enctype = (EncryptionType)reader.ReadUInt16();
        if (version == 3)
        {
            // Version 3 repeats the enctype; MIT ignores the copy and so do we.
            _ = reader.ReadUInt16();
        }

        var key = new KerberosKey(enctype, ReadData(ref reader, FileLimits.MaxKeyLength, "key"));
        var authTime = FileTime.FromSeconds(reader.ReadUInt32());
        var startTime = FileTime.FromSeconds(reader.ReadUInt32());
        var endTime = FileTime.FromSeconds(reader.ReadUInt32());
        var renewTill = FileTime.FromSeconds(reader.ReadUInt32());
        var isSkey = reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            _ => throw reader.Malformed("is_skey is not 0 or 1"),
        };
        var flags = reader.ReadUInt32();
        var addresses = ReadTypedList(ref reader, "address", (type, bytes) => new CredentialCacheAddress(type, bytes));
        var authData = ReadTypedList(ref reader, "authorization data", (type, bytes) => new CredentialCacheAuthData(type, bytes));
        var ticket = ReadData(ref reader, FileLimits.MaxDataLength, "ticket").ToArray();
        var secondTicket = ReadData(ref reader, FileLimits.MaxDataLength, "second ticket").ToArray();
        return new CachedCredential
        {
            ClientRealm = clientRealm,
            Client = client,
            ServerRealm = serverRealm,
            Server = server,
            Key = key,
            AuthTime = authTime,
            StartTime = startTime,
            EndTime = endTime,
            RenewTill = renewTill,
            IsUserToUser = isSkey,
            TicketFlags = flags,
            Addresses = addresses,
            AuthorizationData = authData,
            Ticket = ticket,
            SecondTicket = secondTicket,
        };
    }

    private static void WriteCredential(FileFormatWriter writer, CachedCredential credential, int version)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(credential.Key);
        WritePrincipal(writer, credential.ClientRealm, credential.Client);
        WritePrincipal(writer, credential.ServerRealm, credential.Server);
        if ((uint)credential.Key.EncryptionType > ushort.MaxValue)
        {
            throw new InvalidOperationException("The credential cache stores the enctype in 16 bits.");
        }

        writer.WriteUInt16((ushort)credential.Key.EncryptionType);
        if (version == 3)
        {
            writer.WriteUInt16((ushort)credential.Key.EncryptionType);
        }

        WriteData(writer, credential.Key.Value, FileLimits.MaxKeyLength);
        writer.WriteUInt32(FileTime.ToSeconds(credential.AuthTime));
        writer.WriteUInt32(FileTime.ToSeconds(credential.StartTime));
        writer.WriteUInt32(FileTime.ToSeconds(credential.EndTime));
        writer.WriteUInt32(FileTime.ToSeconds(credential.RenewTill));
        writer.WriteByte(credential.IsUserToUser ? (byte)1 : (byte)0);
        writer.WriteUInt32(credential.TicketFlags);
        WriteTypedList(writer, credential.Addresses.Select(a => (a.Type, a.Address)).ToList());
        WriteTypedList(writer, credential.AuthorizationData.Select(a => (a.Type, a.Data)).ToList());
        WriteData(writer, credential.Ticket.Span, FileLimits.MaxDataLength);
        WriteData(writer, credential.SecondTicket.Span, FileLimits.MaxDataLength);
    }

    private static List<T> ReadTypedList<T>(ref FileFormatReader reader, string what, Func<ushort, byte[], T> create)
    {
        // Each element takes at least 6 bytes (type and length), which bounds the count by the bytes left.
        var count = reader.CheckCount(reader.ReadUInt32(), FileLimits.MaxListCount, 6, what);
        var items = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadUInt16();
            items.Add(create(type, ReadData(ref reader, FileLimits.MaxDataLength, what).ToArray()));
        }

        return items;
    }

    private static void WriteTypedList(FileFormatWriter writer, List<(ushort Type, ReadOnlyMemory<byte> Data)> items)
    {
        if (items.Count > FileLimits.MaxListCount)
        {
            throw new InvalidOperationException("Too many addresses or authorization data elements for a credential cache.");
        }

        writer.WriteUInt32((uint)items.Count);
        foreach (var (type, data) in items)
        {
            writer.WriteUInt16(type);
            WriteData(writer, data.Span, FileLimits.MaxDataLength);
        }
    }

    private static ReadOnlySpan<byte> ReadData(ref FileFormatReader reader, int maxLength, string what)
    {
        var length = reader.ReadUInt32();
        return reader.ReadBytes(length > (uint)maxLength ? -1 : (int)length, maxLength, what);
    }

    private static void WriteData(FileFormatWriter writer, ReadOnlySpan<byte> data, int maxLength)
    {
        if (data.Length > maxLength)
        {
            throw new InvalidOperationException("A field is too long for a credential cache.");
        }

        writer.WriteUInt32((uint)data.Length);
        writer.WriteBytes(data);
    }

    private static void WriteString(FileFormatWriter writer, string value)
    {
        var bytes = FileFormatWriter.Utf8(value);
        if (bytes.Length > FileLimits.MaxStringLength)
        {
            throw new InvalidOperationException("A realm or name component is too long for a credential cache.");
        }

        WriteData(writer, bytes, FileLimits.MaxStringLength);
    }
}
