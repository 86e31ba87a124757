namespace KerberosCloudKdc.Kdc.Seed;

/// <summary>
/// A tenant's cloud Kerberos trust (facts §4.1): the on-premises domain, its virtual RODC number and the
/// krbtgt_AzureAD key, from which partial TGTs (tgt_ad) are minted. The lists default to AD's RODC defaults.
/// </summary>
public sealed class SeedCloudTrust
{
    /// <summary>The AD domain's DNS name, e.g. contoso.com.</summary>
    public string? Domain { get; set; }

    /// <summary>The N of krbtgt_N (1-65535).</summary>
    public int? RodcNumber { get; set; }

    /// <summary>A password, from which the AES256 key is derived with AD's salt for krbtgt_N (REALM + "krbtgt_" + N).</summary>
    public string? Password { get; set; }

    /// <summary>Or "kk:" + base64 of a raw 32-byte AES256 key.</summary>
    public string? Key { get; set; }

    /// <summary>KeyVersion as Get-AzureADKerberosServer shows it (default 1); tickets carry its low 16 bits.</summary>
    public uint? KeyVersion { get; set; }

    /// <summary>SIDs allowed a partial TGT; absent means Domain Users and the Allowed RODC Password Replication Group.</summary>
    public List<string>? AllowedGroups { get; set; }

    /// <summary>SIDs never allowed one; absent means AD's default Denied RODC Password Replication Group and the privileged groups.</summary>
    public List<string>? DeniedGroups { get; set; }
}
