namespace KerberosCloudKdc.Kdc;

/// <summary>Names that are the same for every tenant, as in Entra (facts §1, §7.4).</summary>
public static class CloudRealm
{
    /// <summary>Every tenant shares this realm name; the tenant is chosen by the URL, never by the realm.</summary>
    public const string Name = "KERBEROS.MICROSOFTONLINE.COM";
}
