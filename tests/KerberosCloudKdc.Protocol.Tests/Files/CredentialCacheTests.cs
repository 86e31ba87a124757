using System.Runtime.Versioning;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Files;

public sealed class CredentialCacheTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Written_cache_parses_back_with_every_field_and_rewrites_identically(int version)
    {
        var bytes = FileSamples.Cache(version).ToArray();

        var parsed = CredentialCache.Parse(bytes);

        Assert.Equal(version, parsed.Version);
        Assert.Equal("EXAMPLE.TEST", parsed.DefaultRealm);
        Assert.Equal("alice", parsed.DefaultPrincipal.FullName);
        Assert.Equal(3, parsed.Credentials.Count);
        var extras = parsed.Credentials[2];
        Assert.Equal("OTHER.TEST", extras.ServerRealm);
        Assert.Equal(PrincipalNameType.ServiceHost, extras.Server.Type);
        Assert.Equal(["cifs", "files.other.test"], extras.Server.Components);
        Assert.Equal(EncryptionType.Aes128CtsHmacSha196, extras.Key.EncryptionType);
        Assert.Equal(FileSamples.KeyBytes(16, 9), extras.Key.Value.ToArray());
        Assert.Equal(FileSamples.Time, extras.AuthTime);
        Assert.Equal(DateTimeOffset.UnixEpoch, extras.StartTime);
        Assert.Equal(FileSamples.Time.AddHours(1), extras.EndTime);
        Assert.True(extras.IsUserToUser);
        Assert.Equal(0x40A10000u, extras.TicketFlags);
        var address = Assert.Single(extras.Addresses);
        Assert.Equal((ushort)2, address.Type);
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, address.Address.ToArray());
        Assert.Equal(new byte[] { 0x30, 0x00 }, Assert.Single(extras.AuthorizationData).Data.ToArray());
        Assert.Equal(FileSamples.FakeTicket(9), extras.Ticket.ToArray());
        Assert.Equal(FileSamples.FakeTicket(10), extras.SecondTicket.ToArray());
        Assert.Equal(bytes, parsed.ToArray());
    }

    [Fact]
    public void Configuration_entries_round_trip_untouched()
    {
        var parsed = CredentialCache.Parse(FileSamples.Cache().ToArray());

        var config = parsed.Credentials[0];
        Assert.True(config.IsConfigurationEntry);
        Assert.False(parsed.Credentials[1].IsConfigurationEntry);
        Assert.Equal(["krb5_ccache_conf_data", "fast_avail", "krbtgt/EXAMPLE.TEST@EXAMPLE.TEST"], config.Server.Components);
        Assert.Equal("yes"u8.ToArray(), config.Ticket.ToArray());
        Assert.Equal(EncryptionType.Null, config.Key.EncryptionType);
    }

    [Fact]
    public void Version_4_header_starts_with_a_zero_clock_offset_tag_and_unknown_tags_survive()
    {
        var fresh = FileSamples.Cache().ToArray();
        Assert.Equal(new byte[] { 0x05, 0x04, 0x00, 0x0C, 0x00, 0x01, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 0 }, fresh[..16]);

        byte[] offset = [0, 0, 0, 5, 0, 0, 0x01, 0xF4];
        var tagged = new CredentialCache("R", new PrincipalName(PrincipalNameType.Principal, "a"), [], [new(1, offset), new(99, new byte[] { 7 })]);
        var parsed = CredentialCache.Parse(tagged.ToArray());

        Assert.Equal(TimeSpan.FromSeconds(5) + TimeSpan.FromMicroseconds(500), parsed.KdcTimeOffset);
        Assert.Equal((ushort)99, parsed.Tags[1].Tag);
        Assert.Equal(tagged.ToArray(), parsed.ToArray());
    }

    [Fact]
    public void Version_3_stores_the_enctype_twice_and_has_no_header()
    {
        var bytes = FileSamples.Cache(3).ToArray();

        Assert.Equal(new byte[] { 0x05, 0x03, 0x00, 0x00, 0x00, 0x01 }, bytes[..6]);
        Assert.Null(CredentialCache.Parse(bytes).KdcTimeOffset);

        // No 14-byte header, but two more bytes in each of the three credentials.
        Assert.Equal(FileSamples.Cache(4).ToArray().Length - 14 + 6, bytes.Length);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x05, 0x02 })]
    [InlineData(new byte[] { 0x05, 0x05 })]
    [InlineData(new byte[] { 0x05, 0x04, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02 })]
    [InlineData(new byte[] { 0x05, 0x04, 0x00, 0x06, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x05, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x05, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF })]
    public void Malformed_caches_are_rejected(byte[] data)
    {
        Assert.Throws<KerberosProtocolException>(() => CredentialCache.Parse(data));
    }

    [Fact]
    public void An_is_skey_byte_other_than_0_or_1_is_rejected()
    {
        var cache = new CredentialCache("EXAMPLE.TEST", new PrincipalName(PrincipalNameType.Principal, "alice"), [FileSamples.Credential("krbtgt", "EXAMPLE.TEST", 0, 1)]);
        var bytes = cache.ToArray();

        // is_skey sits before flags, addresses, authdata, ticket (4 + 7) and second ticket (4).
        var skeyOffset = bytes.Length - (4 + 4 + 4 + 4 + 7 + 4) - 1;
        Assert.Equal(0, bytes[skeyOffset]);
        bytes[skeyOffset] = 2;

        Assert.Throws<KerberosProtocolException>(() => CredentialCache.Parse(bytes));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task WriteAsync_creates_an_owner_only_file_that_ReadAsync_reads_back()
    {
        var directory = Directory.CreateTempSubdirectory("ccache-");
        try
        {
            var path = Path.Combine(directory.FullName, "cc");

            await FileSamples.Cache().WriteAsync(path);

            Assert.Equal(FileSamples.Cache().ToArray(), (await CredentialCache.ReadAsync(path)).ToArray());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Times_the_file_cannot_hold_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachedCredential
        {
            ClientRealm = "R",
            Client = new PrincipalName(PrincipalNameType.Principal, "a"),
            ServerRealm = "R",
            Server = new PrincipalName(PrincipalNameType.Principal, "b"),
            Key = new KerberosKey(EncryptionType.Null, []),
            EndTime = new DateTimeOffset(2107, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
    }
}
