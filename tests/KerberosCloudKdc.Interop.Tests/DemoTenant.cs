namespace KerberosCloudKdc.Interop.Tests;

/// <summary>The embedded demo tenant's facts (samples/demo-seed.json), as the tests expect to see them in tickets.</summary>
internal static class DemoTenant
{
    public const string AlicePassword = "Alice-Demo-Passw0rd!";
    public const string AliceUpn = "alice@contoso.com";
    public const string CarolPassword = "Carol-Demo-Passw0rd!";
    public const string DomainSid = "S-1-5-21-3623811015-3361044348-30300820";
    public const string AliceSid = DomainSid + "-1105";
    public const string StoragePassword = "DemoAccount-Kerb1-Passw0rd!";
    public const string StorageHost = "demoaccount.file.core.windows.net";
    public const string CifsSpn = "cifs/" + StorageHost;
    public const string CifsPrincipal = CifsSpn + "@" + CloudKdcProcess.Realm;
}
