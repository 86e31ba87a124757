using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Tests.Storage;

/// <summary>Deterministic directory objects and field-by-field comparisons (records holding lists do not compare by value).</summary>
internal static class StorageTestData
{
    public static readonly SecurityIdentifier DomainSid = SecurityIdentifier.Parse("S-1-5-21-1004336348-1177238915-682003330");

    public static byte[] KeyBytes(byte seed, int length = 32) => Enumerable.Range(0, length).Select(i => (byte)(seed * 31 + i * 7 + 1)).ToArray();

    public static StoredKey Key(byte seed, uint kvno = 1, string? salt = null, DateTimeOffset? expiresOn = null, EncryptionType etype = EncryptionType.Aes256CtsHmacSha196) => new()
    {
        Key = new KerberosKey(etype, KeyBytes(seed, etype == EncryptionType.Aes128CtsHmacSha196 ? 16 : 32)),
        Kvno = kvno,
        Salt = salt,
        ExpiresOn = expiresOn,
    };

    public static Tenant Tenant(Guid id, string name, params string[] domains) => new()
    {
        Id = id,
        DisplayName = name,
        VerifiedDomains = domains,
        OnPremisesDomain = new OnPremisesDomain { DnsName = "corp.contoso.com", NetBiosName = "CONTOSO", DomainSid = DomainSid },
        Policy = new RealmPolicy
        {
            CloudOnlyUsersAllowed = true,
            TgtLifetime = TimeSpan.FromHours(8),
            MaxClockSkew = TimeSpan.FromMinutes(3),
            EncryptionTypes = [EncryptionType.Aes256CtsHmacSha196, EncryptionType.Aes128CtsHmacSha196],
        },
    };

    public static DirectoryUser HybridUser(Guid id, string upn, string sam, uint rid, params Guid[] groups) => new()
    {
        ObjectId = id,
        UserPrincipalName = upn,
        DisplayName = $"User {sam}",
        Keys =
        [
            Key((byte)rid, kvno: 3, salt: "KERBEROS.MICROSOFTONLINE.COM" + upn, expiresOn: new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))),
            Key((byte)(rid + 1), kvno: 3, salt: "KERBEROS.MICROSOFTONLINE.COM" + upn, etype: EncryptionType.Aes128CtsHmacSha196),
        ],
        OnPremises = new OnPremisesIdentity { SamAccountName = sam, SecurityIdentifier = DomainSid.WithRid(rid), DomainName = "corp.contoso.com", PrimaryGroupRid = 514 },
        GroupIds = groups,
    };

    public static DirectoryUser CloudUser(Guid id, string upn) => new()
    {
        ObjectId = id,
        UserPrincipalName = upn,
        AccountEnabled = false,
    };

    public static ServicePrincipal Service(Guid id, string name, params string[] spns) => new()
    {
        ObjectId = id,
        DisplayName = name,
        ServicePrincipalNames = spns,
        KeysBySpn = spns.ToDictionary(
            s => s.ToLowerInvariant(),
            s => (IReadOnlyList<StoredKey>)[Key((byte)s.Length, kvno: 2, salt: "salt" + s.ToLowerInvariant(), expiresOn: new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero))],
            StringComparer.OrdinalIgnoreCase),
        Tags = new HashSet<string>([ServicePrincipal.CloudGroupSidsTag, "custom"], StringComparer.OrdinalIgnoreCase),
        AccountEnabled = true,
    };

    public static void AssertKeyEqual(StoredKey expected, StoredKey actual)
    {
        Assert.Equal(expected.EncryptionType, actual.EncryptionType);
        Assert.Equal(expected.Key.Value.ToArray(), actual.Key.Value.ToArray());
        Assert.Equal(expected.Kvno, actual.Kvno);
        Assert.Equal(expected.Salt, actual.Salt);
        Assert.Equal(expected.ExpiresOn, actual.ExpiresOn);
    }

    public static void AssertKeysEqual(IReadOnlyList<StoredKey> expected, IReadOnlyList<StoredKey> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertKeyEqual(expected[i], actual[i]);
        }
    }

    public static void AssertTenantEqual(Tenant expected, Tenant? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.DisplayName, actual.DisplayName);
        Assert.Equal(expected.VerifiedDomains, actual.VerifiedDomains);
        Assert.Equal(expected.OnPremisesDomain, actual.OnPremisesDomain);
        // Lists compare by reference in record equality; they are compared as sequences below.
        Assert.Equal(expected.Policy with { EncryptionTypes = [], KerberosTopLevelNames = [] }, actual.Policy with { EncryptionTypes = [], KerberosTopLevelNames = [] });
        Assert.Equal(expected.Policy.EncryptionTypes, actual.Policy.EncryptionTypes);
        Assert.Equal(expected.Policy.KerberosTopLevelNames, actual.Policy.KerberosTopLevelNames);
    }

    public static void AssertUserEqual(DirectoryUser expected, DirectoryUser? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ObjectId, actual.ObjectId);
        Assert.Equal(expected.UserPrincipalName, actual.UserPrincipalName);
        Assert.Equal(expected.DisplayName, actual.DisplayName);
        Assert.Equal(expected.AccountEnabled, actual.AccountEnabled);
        Assert.Equal(expected.OnPremises, actual.OnPremises);
        Assert.Equal(expected.GroupIds, actual.GroupIds);
        AssertKeysEqual(expected.Keys, actual.Keys);
    }

    public static void AssertServiceEqual(ServicePrincipal expected, ServicePrincipal? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ObjectId, actual.ObjectId);
        Assert.Equal(expected.DisplayName, actual.DisplayName);
        Assert.Equal(expected.AccountEnabled, actual.AccountEnabled);
        Assert.Equal(expected.ServicePrincipalNames, actual.ServicePrincipalNames);
        Assert.True(expected.Tags.SetEquals(actual.Tags));
        Assert.Equal(expected.KeysBySpn.Count, actual.KeysBySpn.Count);
        foreach (var (spn, keys) in expected.KeysBySpn)
        {
            AssertKeysEqual(keys, actual.KeysBySpn[spn]);
        }
    }

    public static void AssertGroupEqual(DirectoryGroup expected, DirectoryGroup? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected, actual);
    }
}

/// <summary>A fresh directory under the temp folder, removed afterwards.</summary>
internal sealed class TempDirectory
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kcdc-store-" + Guid.NewGuid().ToString("N"));

    public void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
