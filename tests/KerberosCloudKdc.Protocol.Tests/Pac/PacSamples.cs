using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

/// <summary>Fixed users, keys and PACs shared by the PAC tests.</summary>
internal static class PacSamples
{
    public static readonly SecurityIdentifier DomainSid = SecurityIdentifier.Parse("S-1-5-21-1004336348-1177238915-682003330");

    public static readonly DateTimeOffset AuthTime = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public static readonly KerberosKey ServerKey = Aes256(0x11);

    public static readonly KerberosKey KdcKey = Aes256(0x22);

    public static readonly KerberosKey WrongKey = Aes256(0x33);

    public static KerberosKey Aes256(byte seed) =>
        new(EncryptionType.Aes256CtsHmacSha196, Enumerable.Range(0, 32).Select(i => (byte)(seed + i)).ToArray());

    public static string Hex(KerberosKey key) => Convert.ToHexString(key.Value);

    public static PacBuilder Builder(int groupCount = 3, bool samNameAndSid = true, string user = "jürgen.ﬁsh") => new()
    {
        UserName = user,
        Upn = "jurgen@contoso.com",
        DnsDomainName = "CONTOSO.COM",
        NetBiosDomainName = "CONTOSO",
        DomainSid = DomainSid,
        UserRid = 1105,
        GroupRids = Enumerable.Range(0, groupCount).Select(i => (uint)(2000 + i)).ToArray(),
        ExtraSids =
        [
            new(SecurityIdentifier.Parse("S-1-18-1"), GroupAttributes.DefaultGroup),
            new(SecurityIdentifier.Parse("S-1-5-21-1-2-3-4444"), GroupAttributes.DefaultGroup | GroupAttributes.Resource),
        ],
        AuthTime = AuthTime,
        FullName = "Jürgen Fish 🐟",
        LogonServer = "ENTRA-KDC",
        IncludeSamNameAndSid = samNameAndSid,
    };
}
