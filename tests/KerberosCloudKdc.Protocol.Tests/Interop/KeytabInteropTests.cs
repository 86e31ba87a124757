using System.Globalization;
using System.Text.RegularExpressions;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Tests.Files;

namespace KerberosCloudKdc.Protocol.Tests.Interop;

public sealed partial class KeytabInteropTests
{
    [Fact]
    public async Task MIT_klist_reads_our_keytab_with_the_same_principals_kvnos_enctypes_and_keys()
    {
        MitTools.RequireInstalled("klist");
        using var scratch = new MitScratch();
        var ours = FileSamples.Keytab();
        var path = scratch.PathOf("ours.keytab");
        await ours.WriteAsync(path);

        var listed = await ListAsync(scratch, path);

        Assert.Equal(ours.Entries.Count, listed.Count);
        foreach (var (entry, line) in ours.Entries.Zip(listed))
        {
            Assert.Equal($"{entry.Principal.FullName}@{entry.Realm}", line.Principal);
            Assert.Equal(entry.Kvno, line.Kvno);
            Assert.Equal(entry.Key.EncryptionType, MitScratch.Enctype(line.Enctype));
            Assert.Equal(Convert.ToHexStringLower(entry.Key.Value), line.KeyHex);
            Assert.Equal(entry.Timestamp, line.Timestamp);
        }

        // 300 and 70000 only survive through the 32-bit kvno; the 8-bit field holds 44 and 112.
        Assert.Contains(listed, l => l.Kvno == 300);
        Assert.Contains(listed, l => l.Kvno == 70000);
    }

    [Fact]
    public async Task We_read_a_keytab_written_by_MIT_ktutil_with_the_keys_klist_prints()
    {
        MitTools.RequireInstalled("ktutil", "klist");
        using var scratch = new MitScratch();
        var path = scratch.PathOf("mit.keytab");
        var script = string.Join('\n',
            "addent -password -p alice@EXAMPLE.TEST -k 3 -e aes256-cts-hmac-sha1-96",
            "alice-pw",
            "addent -password -p alice@EXAMPLE.TEST -k 3 -e aes128-cts-hmac-sha1-96",
            "alice-pw",
            "addent -password -p HTTP/web.example.test@EXAMPLE.TEST -k 300 -e aes256-cts-hmac-sha384-192",
            "web-pw",
            "addent -password -p HTTP/web.example.test@EXAMPLE.TEST -k 300 -e aes128-cts-hmac-sha256-128",
            "web-pw",
            $"wkt {path}",
            "quit",
            string.Empty);
        var ktutil = await scratch.RunAsync("ktutil", [], script);
        Assert.True(ktutil.ExitCode == 0 && File.Exists(path), ktutil.Output);

        var listed = await ListAsync(scratch, path);
        var bytes = await File.ReadAllBytesAsync(path);
        var ours = await KeytabFile.ReadAsync(path);

        Assert.Equal(4, ours.Entries.Count);
        Assert.Equal(listed.Count, ours.Entries.Count);
        foreach (var (entry, line) in ours.Entries.Zip(listed))
        {
            Assert.Equal(line.Principal, $"{entry.Principal.FullName}@{entry.Realm}");
            Assert.Equal(line.Kvno, entry.Kvno);
            Assert.Equal(MitScratch.Enctype(line.Enctype), entry.Key.EncryptionType);
            Assert.Equal(line.KeyHex, Convert.ToHexStringLower(entry.Key.Value));
            Assert.Equal(line.Timestamp, entry.Timestamp);
        }

        Assert.Equal(["HTTP", "web.example.test"], ours.Entries[2].Principal.Components);

        // MIT writes exactly our layout, so rewriting its file reproduces it byte for byte.
        Assert.Equal(bytes, ours.ToArray());
        KeytabFileTests.AssertSameEntries(ours, KeytabFile.Parse(ours.ToArray()));
    }

    [Fact]
    public async Task MIT_ktutil_reads_our_keytab_and_writes_it_back_unchanged_but_for_timestamps()
    {
        MitTools.RequireInstalled("ktutil");
        using var scratch = new MitScratch();
        var ours = scratch.PathOf("ours.keytab");
        var copy = scratch.PathOf("copy.keytab");
        await FileSamples.Keytab().WriteAsync(ours);

        var ktutil = await scratch.RunAsync("ktutil", [], $"rkt {ours}\nwkt {copy}\nquit\n");

        Assert.True(ktutil.ExitCode == 0 && File.Exists(copy), ktutil.Output);

        // wkt stamps every entry with the current time; everything else must come back as we wrote it.
        var original = FileSamples.Keytab();
        var rewritten = await KeytabFile.ReadAsync(copy);
        Assert.Equal(original.Entries.Count, rewritten.Entries.Count);
        var restamped = new KeytabFile(rewritten.Entries.Zip(original.Entries, (e, o) => new KeytabEntry(e.Realm, e.Principal, e.Kvno, e.Key, o.Timestamp)));
        Assert.Equal(await File.ReadAllBytesAsync(ours), restamped.ToArray());
    }

    private static async Task<List<KlistKeytabLine>> ListAsync(MitScratch scratch, string path)
    {
        var klist = await scratch.RunAsync("klist", ["-k", "-t", "-e", "-K", "FILE:" + path]);
        Assert.True(klist.ExitCode == 0, klist.Output);
        var lines = klist.StdOut.Split('\n')
            .Select(l => KeytabLine().Match(l))
            .Where(m => m.Success)
            .Select(m => new KlistKeytabLine(
                uint.Parse(m.Groups["kvno"].Value, CultureInfo.InvariantCulture),
                DateTimeOffset.ParseExact(m.Groups["time"].Value, "MM/dd/yy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                m.Groups["principal"].Value,
                m.Groups["enctype"].Value,
                m.Groups["key"].Value))
            .ToList();
        Assert.True(lines.Count > 0, klist.StdOut);
        return lines;
    }

    // "   3 11/24/26 04:31:28 alice@EXAMPLE.TEST (aes256-cts-hmac-sha1-96)  (0x21ca...)"
    [GeneratedRegex(@"^\s*(?<kvno>\d+) (?<time>\d\d/\d\d/\d\d \d\d:\d\d:\d\d) (?<principal>\S+) \((?<enctype>[^)]+)\)\s+\(0x(?<key>[0-9a-f]+)\)\s*$")]
    private static partial Regex KeytabLine();

    private sealed record KlistKeytabLine(uint Kvno, DateTimeOffset Timestamp, string Principal, string Enctype, string KeyHex);
}
