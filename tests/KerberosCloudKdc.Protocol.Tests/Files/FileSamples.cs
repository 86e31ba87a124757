using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Files;

/// <summary>Deterministic keytabs and caches that exercise every field, for tests that need no MIT tools.</summary>
internal static class FileSamples
{
    public static readonly DateTimeOffset Time = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static byte[] KeyBytes(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + (i * 7))).ToArray();

    public static KeytabFile Keytab() => new(
    [
        new KeytabEntry("EXAMPLE.TEST", new PrincipalName(PrincipalNameType.Principal, "alice"), 3, new KerberosKey(EncryptionType.Aes256CtsHmacSha196, KeyBytes(32, 1)), Time),
        new KeytabEntry("EXAMPLE.TEST", new PrincipalName(PrincipalNameType.ServiceHost, "HTTP", "web.example.test"), 300, new KerberosKey(EncryptionType.Aes128CtsHmacSha256128, KeyBytes(16, 2)), Time),
        new KeytabEntry("EXAMPLE.TEST", new PrincipalName(PrincipalNameType.ServiceInstance, "krbtgt", "EXAMPLE.TEST"), 70000, new KerberosKey(EncryptionType.Aes256CtsHmacSha384192, KeyBytes(32, 3)), Time.AddDays(1)),
    ]);

    /// <summary>A DER-shaped stand-in; the cache never looks inside tickets.</summary>
    public static byte[] FakeTicket(byte seed) => [0x61, 0x05, 0x30, 0x03, 0x02, 0x01, seed];

    public static CachedCredential Credential(string service, string host, uint flags, byte seed) => new()
    {
        ClientRealm = "EXAMPLE.TEST",
        Client = new PrincipalName(PrincipalNameType.Principal, "alice"),
        ServerRealm = "EXAMPLE.TEST",
        Server = new PrincipalName(PrincipalNameType.ServiceInstance, service, host),
        Key = new KerberosKey(EncryptionType.Aes256CtsHmacSha196, KeyBytes(32, seed)),
        AuthTime = Time,
        StartTime = Time,
        EndTime = Time.AddHours(10),
        RenewTill = Time.AddDays(7),
        TicketFlags = flags,
        Ticket = FakeTicket(seed),
    };

    public static CachedCredential ConfigEntry() => new()
    {
        ClientRealm = "EXAMPLE.TEST",
        Client = new PrincipalName(PrincipalNameType.Principal, "alice"),
        ServerRealm = CachedCredential.ConfigurationRealm,
        Server = new PrincipalName(PrincipalNameType.Unknown, "krb5_ccache_conf_data", "fast_avail", "krbtgt/EXAMPLE.TEST@EXAMPLE.TEST"),
        Key = new KerberosKey(EncryptionType.Null, []),
        Ticket = "yes"u8.ToArray(),
    };

    public static CredentialCache Cache(int version = 4)
    {
        var withExtras = new CachedCredential
        {
            ClientRealm = "EXAMPLE.TEST",
            Client = new PrincipalName(PrincipalNameType.Principal, "alice"),
            ServerRealm = "OTHER.TEST",
            Server = new PrincipalName(PrincipalNameType.ServiceHost, "cifs", "files.other.test"),
            Key = new KerberosKey(EncryptionType.Aes128CtsHmacSha196, KeyBytes(16, 9)),
            AuthTime = Time,
            EndTime = Time.AddHours(1),
            IsUserToUser = true,
            TicketFlags = 0x40A10000,
            Addresses = [new CredentialCacheAddress(2, new byte[] { 127, 0, 0, 1 })],
            AuthorizationData = [new CredentialCacheAuthData(1, new byte[] { 0x30, 0x00 })],
            Ticket = FakeTicket(9),
            SecondTicket = FakeTicket(10),
        };
        return new CredentialCache(
            "EXAMPLE.TEST",
            new PrincipalName(PrincipalNameType.Principal, "alice"),
            [ConfigEntry(), Credential("krbtgt", "EXAMPLE.TEST", 0x40E10000, 5), withExtras],
            version: version);
    }
}
