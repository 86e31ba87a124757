using System.Text.RegularExpressions;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;

namespace KerberosCloudKdc.Protocol.Tests.Interop;

public sealed partial class CredentialCacheInteropTests
{
    private const string Service = "host/svc.example.test";

    [Fact]
    public async Task We_read_a_cache_written_by_kinit_and_kvno_and_rewrite_it_byte_for_byte()
    {
        await using var realm = await StartRealmWithTicketsAsync();
        var mitBytes = await File.ReadAllBytesAsync(realm.CcachePath);

        var cache = await CredentialCache.ReadAsync(realm.CcachePath);

        Assert.Equal(4, cache.Version);
        Assert.Equal(TimeSpan.Zero, cache.KdcTimeOffset);
        Assert.Equal("EXAMPLE.TEST", cache.DefaultRealm);
        Assert.Equal("alice", cache.DefaultPrincipal.FullName);
        var tickets = cache.Credentials.Where(c => !c.IsConfigurationEntry).ToList();
        Assert.Equal(["krbtgt/EXAMPLE.TEST", Service], tickets.Select(c => c.Server.FullName));
        Assert.Contains(cache.Credentials, c => c.IsConfigurationEntry && c.Server.Components.Contains("fast_avail"));

        var klist = await realm.RunAsync("klist", ["-e", "-c", "FILE:" + realm.CcachePath]);
        var sessionEnctypes = SessionEnctype().Matches(klist.StdOut).Select(m => MitScratch.Enctype(m.Groups[1].Value)).ToList();
        Assert.Equal(sessionEnctypes, tickets.Select(c => c.Key.EncryptionType));

        var now = DateTimeOffset.UtcNow;
        foreach (var ticket in tickets)
        {
            Assert.Equal("EXAMPLE.TEST", ticket.ClientRealm);
            Assert.Equal("alice", ticket.Client.FullName);
            Assert.Equal("EXAMPLE.TEST", ticket.ServerRealm);
            Assert.Equal(32, ticket.Key.Value.Length);
            Assert.InRange(ticket.AuthTime, now.AddMinutes(-5), now.AddMinutes(1));
            Assert.InRange(ticket.EndTime, ticket.AuthTime.AddHours(9), ticket.AuthTime.AddHours(10));
            Assert.InRange(ticket.RenewTill, ticket.EndTime, ticket.AuthTime.AddDays(7));
            Assert.Equal(0x61, ticket.Ticket.Span[0]);
            Assert.True(ticket.SecondTicket.IsEmpty);
            Assert.Empty(ticket.Addresses);

            // Renewable (bit 8) on every ticket, initial (bit 9) only on the TGT from the AS exchange.
            Assert.NotEqual(0u, ticket.TicketFlags & 0x00800000);
        }

        Assert.NotEqual(0u, tickets[0].TicketFlags & 0x00400000);
        Assert.Equal(0u, tickets[1].TicketFlags & 0x00400000);
        Assert.Equal(mitBytes, cache.ToArray());
    }

    [Fact]
    public async Task A_cache_we_build_from_scratch_is_listed_and_used_by_MIT()
    {
        await using var realm = await StartRealmWithTicketsAsync();
        var mit = await CredentialCache.ReadAsync(realm.CcachePath);

        // A new object from copied fields, not the parsed one, so nothing read from the file leaks through.
        var copy = new CredentialCache(mit.DefaultRealm, mit.DefaultPrincipal, mit.Credentials.Select(c => Copy(c, c.TicketFlags)));
        Assert.Equal(await File.ReadAllBytesAsync(realm.CcachePath), copy.ToArray());

        var tgt = mit.Credentials.First(c => !c.IsConfigurationEntry && c.Server.Components[0] == "krbtgt");
        const uint ForwardableRenewableInitialPreauth = 0x40E00000;
        var ours = new CredentialCache(mit.DefaultRealm, mit.DefaultPrincipal, [Copy(tgt, ForwardableRenewableInitialPreauth)]);
        var path = Path.Combine(realm.Directory, "ours.ccache");
        await ours.WriteAsync(path);

        var klist = await realm.RunAsync("klist", ["-c", "FILE:" + path, "-e", "-f"]);
        Assert.True(klist.ExitCode == 0, klist.Output);
        Assert.Contains("Default principal: alice@EXAMPLE.TEST", klist.StdOut, StringComparison.Ordinal);
        Assert.Contains("krbtgt/EXAMPLE.TEST@EXAMPLE.TEST", klist.StdOut, StringComparison.Ordinal);
        Assert.Contains("Flags: FRIA", klist.StdOut, StringComparison.Ordinal);
        Assert.Contains("Etype (skey, tkt): aes256-cts-hmac-sha1-96", klist.StdOut, StringComparison.Ordinal);

        // The real proof the session key and ticket survived: MIT uses our TGT for a TGS exchange.
        var kvno = await realm.RunAsync("kvno", ["-c", "FILE:" + path, Service]);
        Assert.True(kvno.ExitCode == 0, kvno.Output);
        var after = await CredentialCache.ReadAsync(path);
        Assert.Contains(after.Credentials, c => c.Server.FullName == Service);
    }

    [Fact]
    public async Task We_read_and_rewrite_a_version_3_cache_written_by_kinit()
    {
        await using var realm = await MitRealm.StartAsync();
        await realm.AddPrincipalAsync("alice", "alice-pw");
        var config = realm.WriteClientConfig($"127.0.0.1:{realm.KdcPort}");
        var text = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, text.Replace("[libdefaults]\n", "[libdefaults]\n ccache_type = 3\n", StringComparison.Ordinal));

        var kinit = await realm.RunAsync("kinit", ["alice"], "alice-pw\n", config);
        Assert.True(kinit.ExitCode == 0, kinit.Output);
        var bytes = await File.ReadAllBytesAsync(realm.CcachePath);
        Assert.Equal(new byte[] { 0x05, 0x03 }, bytes[..2]);

        var cache = CredentialCache.Parse(bytes);

        Assert.Equal(3, cache.Version);
        var tgt = Assert.Single(cache.Credentials, c => !c.IsConfigurationEntry);
        Assert.Equal("krbtgt/EXAMPLE.TEST", tgt.Server.FullName);
        Assert.Equal(EncryptionType.Aes256CtsHmacSha196, tgt.Key.EncryptionType);
        Assert.Equal(bytes, cache.ToArray());
    }

    private static async Task<MitRealm> StartRealmWithTicketsAsync()
    {
        var realm = await MitRealm.StartAsync();
        try
        {
            await realm.AddPrincipalAsync("alice", "alice-pw");
            await realm.AddRandomKeyPrincipalAsync(Service);
            var kinit = await realm.RunAsync("kinit", ["alice"], "alice-pw\n");
            Assert.True(kinit.ExitCode == 0, kinit.Output);
            var kvno = await realm.RunAsync("kvno", [Service]);
            Assert.True(kvno.ExitCode == 0, kvno.Output);
            return realm;
        }
        catch
        {
            await realm.DisposeAsync();
            throw;
        }
    }

    private static CachedCredential Copy(CachedCredential c, uint flags) => new()
    {
        ClientRealm = c.ClientRealm,
        Client = c.Client,
        ServerRealm = c.ServerRealm,
        Server = c.Server,
        Key = new KerberosKey(c.Key.EncryptionType, c.Key.Value),
        AuthTime = c.AuthTime,
        StartTime = c.StartTime,
        EndTime = c.EndTime,
        RenewTill = c.RenewTill,
        IsUserToUser = c.IsUserToUser,
        TicketFlags = flags,
        Addresses = c.Addresses,
        AuthorizationData = c.AuthorizationData,
        Ticket = c.Ticket.ToArray(),
        SecondTicket = c.SecondTicket.ToArray(),
    };

    [GeneratedRegex(@"Etype \(skey, tkt\): (\S+),")]
    private static partial Regex SessionEnctype();
}
