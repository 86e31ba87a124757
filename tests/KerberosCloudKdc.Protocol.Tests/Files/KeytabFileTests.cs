using System.Runtime.Versioning;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Files;

public sealed class KeytabFileTests
{
    [Fact]
    public void Written_keytab_parses_back_to_the_same_entries_and_bytes()
    {
        var bytes = FileSamples.Keytab().ToArray();

        var parsed = KeytabFile.Parse(bytes);

        AssertSameEntries(FileSamples.Keytab(), parsed);
        Assert.Equal(bytes, parsed.ToArray());
    }

    [Fact]
    public void Entry_layout_is_version_0502_with_the_low_kvno_byte_and_the_32_bit_kvno()
    {
        var entry = new KeytabEntry("R", new PrincipalName(PrincipalNameType.Principal, "a"), 300, new KerberosKey(EncryptionType.Aes128CtsHmacSha196, [0xAA, 0xBB]), DateTimeOffset.FromUnixTimeSeconds(0x01020304));

        var bytes = new KeytabFile([entry]).ToArray();

        byte[] expected =
        [
            0x05, 0x02,
            0x00, 0x00, 0x00, 0x1B,             // record length
            0x00, 0x01,                         // one component
            0x00, 0x01, (byte)'R',
            0x00, 0x01, (byte)'a',
            0x00, 0x00, 0x00, 0x01,             // KRB5_NT_PRINCIPAL
            0x01, 0x02, 0x03, 0x04,             // timestamp
            0x2C,                               // 300 & 0xFF
            0x00, 0x11,                         // aes128-cts-hmac-sha1-96
            0x00, 0x02, 0xAA, 0xBB,
            0x00, 0x00, 0x01, 0x2C,             // 32-bit kvno
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Holes_are_skipped_and_a_zero_length_ends_the_list()
    {
        var single = new KeytabFile([FileSamples.Keytab().Entries[0]]).ToArray();
        byte[] hole = [0xFF, 0xFF, 0xFF, 0xF8, 1, 2, 3, 4, 5, 6, 7, 8];
        byte[] end = [0, 0, 0, 0, 0xDE, 0xAD];
        var data = single[..2].Concat(hole).Concat(single[2..]).Concat(end).ToArray();

        var parsed = KeytabFile.Parse(data);

        Assert.Equal("alice", Assert.Single(parsed.Entries).Principal.FullName);
    }

    [Fact]
    public void A_zero_32_bit_kvno_leaves_the_8_bit_kvno_and_a_missing_one_is_fine()
    {
        var bytes = new KeytabFile([FileSamples.Keytab().Entries[0]]).ToArray();
        var zeroed = (byte[])bytes.Clone();
        zeroed[^4..].AsSpan().Clear();
        var withoutExtension = bytes[..^4];
        withoutExtension[5] -= 4;

        Assert.Equal(3u, KeytabFile.Parse(zeroed).Entries[0].Kvno);
        Assert.Equal(3u, KeytabFile.Parse(withoutExtension).Entries[0].Kvno);
    }

    [Fact]
    public void Version_0501_is_read_little_endian_with_the_realm_counted_as_a_component()
    {
        byte[] data =
        [
            0x05, 0x01,
            0x18, 0x00, 0x00, 0x00,             // record length, little-endian
            0x02, 0x00,                         // realm + one component
            0x01, 0x00, (byte)'R',
            0x01, 0x00, (byte)'a',
            0x04, 0x03, 0x02, 0x01,             // timestamp
            0x07,                               // kvno
            0x12, 0x00,                         // aes256-cts-hmac-sha1-96
            0x03, 0x00, 0x01, 0x02, 0x03,
            0x00, 0x00, 0x00, 0x00,             // no 32-bit kvno
        ];

        var entry = Assert.Single(KeytabFile.Parse(data).Entries);

        Assert.Equal("R", entry.Realm);
        Assert.Equal(["a"], entry.Principal.Components);
        Assert.Equal(PrincipalNameType.Unknown, entry.Principal.Type);
        Assert.Equal(7u, entry.Kvno);
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, entry.Key.EncryptionType);
        Assert.Equal(new byte[] { 1, 2, 3 }, entry.Key.Value.ToArray());
        Assert.Equal(0x01020304, entry.Timestamp.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x05 })]
    [InlineData(new byte[] { 0x05, 0x03 })]
    [InlineData(new byte[] { 0x04, 0x02 })]
    [InlineData(new byte[] { 0x05, 0x02, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x05, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00 })]
    [InlineData(new byte[] { 0x05, 0x02, 0x80, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x05, 0x02, 0xFF, 0xFF, 0xFF, 0x00 })]
    public void Malformed_keytabs_are_rejected(byte[] data)
    {
        Assert.Throws<KerberosProtocolException>(() => KeytabFile.Parse(data));
    }

    [Fact]
    public void Names_that_are_not_utf8_are_rejected()
    {
        var bytes = new KeytabFile([FileSamples.Keytab().Entries[0]]).ToArray();
        var index = bytes.AsSpan().IndexOf("alice"u8);
        bytes[index] = 0xFF;

        var error = Assert.Throws<KerberosProtocolException>(() => KeytabFile.Parse(bytes));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task WriteAsync_creates_an_owner_only_file_that_ReadAsync_reads_back()
    {
        var directory = Directory.CreateTempSubdirectory("keytab-");
        try
        {
            var path = Path.Combine(directory.FullName, "test.keytab");
            await File.WriteAllTextAsync(path, "old contents");
            File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);

            await FileSamples.Keytab().WriteAsync(path);

            AssertSameEntries(FileSamples.Keytab(), await KeytabFile.ReadAsync(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Single(Directory.GetFiles(directory.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Entries_that_cannot_be_written_are_refused_up_front()
    {
        var name = new PrincipalName(PrincipalNameType.Principal, "a");
        var key = new KerberosKey(EncryptionType.Aes128CtsHmacSha196, new byte[16]);

        Assert.Throws<ArgumentOutOfRangeException>(() => new KeytabEntry("R", name, 1, key, DateTimeOffset.UnixEpoch.AddSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeytabEntry("R", name, 1, key, DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue + 1L)));
        Assert.Throws<ArgumentException>(() => new KeytabEntry(string.Empty, name, 1, key, FileSamples.Time));
    }

    internal static void AssertSameEntries(KeytabFile expected, KeytabFile actual)
    {
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        foreach (var (e, a) in expected.Entries.Zip(actual.Entries))
        {
            Assert.Equal(e.Realm, a.Realm);
            Assert.Equal(e.Principal.Type, a.Principal.Type);
            Assert.Equal(e.Principal.Components, a.Principal.Components);
            Assert.Equal(e.Kvno, a.Kvno);
            Assert.Equal(e.Timestamp, a.Timestamp);
            Assert.Equal(e.Key.EncryptionType, a.Key.EncryptionType);
            Assert.Equal(e.Key.Value.ToArray(), a.Key.Value.ToArray());
        }
    }
}
