using System.Text.Json.Serialization;

namespace KerberosCloudKdc.Kdc.Seed;

// The seed file schema (docs/configuration.md "Seed file"). Every property is nullable so the loader,
// not the serializer, decides what is required and can name the field in its message. Unknown
// properties are refused by the serializer (JsonUnmappedMemberHandling.Disallow).

/// <summary>Root of a seed file: the tenants to create.</summary>
public sealed class SeedDocument
{
    /// <summary>Ignored; lets editors find a JSON schema.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; set; }

    public List<SeedTenant>? Tenants { get; set; }
}

public sealed class SeedTenant
{
    /// <summary>Tenant GUID (lowercase in URLs).</summary>
    public string? Id { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Served at /KdcProxy, /common/kerberos and the raw TCP/UDP listeners. Defaults to the first tenant.</summary>
    public bool? IsDefault { get; set; }

    public List<string>? VerifiedDomains { get; set; }

    public SeedOnPremisesDomain? OnPremisesDomain { get; set; }

    public SeedPolicy? Policy { get; set; }

    public List<SeedGroup>? Groups { get; set; }

    public List<SeedUser>? Users { get; set; }

    public List<SeedServicePrincipal>? ServicePrincipals { get; set; }

    public List<SeedStorageAccount>? StorageAccounts { get; set; }

    /// <summary>Realms whose cross-realm TGTs (krbtgt/KERBEROS.MICROSOFTONLINE.COM@realm) this tenant accepts.</summary>
    public List<SeedInboundTrust>? InboundTrusts { get; set; }

    /// <summary>Registered devices allowed to ask the token endpoint for PRTs (docs/token-path.md §2).</summary>
    public List<SeedDevice>? Devices { get; set; }
}

/// <summary>An inbound trust: the on-premises realm and the inter-realm key it shares with the cloud KDC.</summary>
public sealed class SeedInboundTrust
{
    /// <summary>The trusted realm, e.g. CONTOSO.LAB (stored upper case).</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// The password of krbtgt/KERBEROS.MICROSOFTONLINE.COM@realm (AES256 and AES128 keys, MIT default salt) or
    /// "kk:" + base64 of a raw 16/32-byte key.
    /// </summary>
    public string? Password { get; set; }

    public uint? Kvno { get; set; }
}

public sealed class SeedOnPremisesDomain
{
    public string? DnsName { get; set; }

    public string? NetBiosName { get; set; }

    /// <summary>S-1-5-21-a-b-c.</summary>
    public string? DomainSid { get; set; }
}

/// <summary>Overrides of <see cref="Directory.RealmPolicy"/>; absent fields keep the Entra defaults.</summary>
public sealed class SeedPolicy
{
    public bool? AsExchangeEnabled { get; set; }

    /// <summary>Serve users without on-premises identity (off, as in Entra: hybrid identities only).</summary>
    public bool? CloudOnlyUsersAllowed { get; set; }

    /// <summary>TimeSpan text, e.g. "10:00:00" or "7.00:00:00".</summary>
    public string? TgtLifetime { get; set; }

    public string? TgtRenewableLifetime { get; set; }

    public string? ServiceTicketLifetime { get; set; }

    public string? MaxClockSkew { get; set; }

    /// <summary>Etype numbers, strongest first (17, 18, 19, 20). Entra issues 18 only.</summary>
    public List<int>? EncryptionTypes { get; set; }

    /// <summary>The lab token grant_type=password (no device); off by default.</summary>
    public bool? PasswordGrantEnabled { get; set; }

    /// <summary>kerberos_top_level_names of token responses; default Entra's list.</summary>
    public List<string>? KerberosTopLevelNames { get; set; }
}

public sealed class SeedGroup
{
    public string? Name { get; set; }

    /// <summary>Optional; derived from tenant id and name when absent, so it is stable across restarts.</summary>
    public string? ObjectId { get; set; }

    /// <summary>AD SID of a synced group. Give this or <see cref="Rid"/>; neither means a cloud-only group.</summary>
    public string? OnPremisesSecurityIdentifier { get; set; }

    /// <summary>RID in the tenant's on-premises domain (needs onPremisesDomain.domainSid).</summary>
    public uint? Rid { get; set; }
}

public sealed class SeedUser
{
    public string? Upn { get; set; }

    public string? ObjectId { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Optional: a user without a password has no Kerberos keys (no AS exchange).</summary>
    public string? Password { get; set; }

    public bool? AccountEnabled { get; set; }

    /// <summary>Present for hybrid (synced) users; absent for cloud-only users.</summary>
    public SeedUserOnPremises? OnPremises { get; set; }

    /// <summary>Names of groups of the same tenant.</summary>
    public List<string>? Groups { get; set; }
}

public sealed class SeedUserOnPremises
{
    public string? SamAccountName { get; set; }

    /// <summary>The user's AD SID. Give this or <see cref="Rid"/>.</summary>
    public string? SecurityIdentifier { get; set; }

    /// <summary>RID in the tenant's on-premises domain (needs onPremisesDomain.domainSid).</summary>
    public uint? Rid { get; set; }

    /// <summary>DNS name of the user's AD domain; defaults to onPremisesDomain.dnsName.</summary>
    public string? DomainName { get; set; }

    public uint? PrimaryGroupRid { get; set; }
}

public sealed class SeedServicePrincipal
{
    public string? DisplayName { get; set; }

    public string? ObjectId { get; set; }

    public List<string>? ServicePrincipalNames { get; set; }

    /// <summary>A password (keys derived per SPN) or "kk:" + base64 of a raw 16/32-byte key. Absent: no keys (KDC_ERR_NULL_KEY).</summary>
    public string? Password { get; set; }

    public uint? Kvno { get; set; }

    public DateTimeOffset? PasswordExpiresOn { get; set; }

    public List<string>? Tags { get; set; }

    public bool? AccountEnabled { get; set; }
}

/// <summary>Shortcut for an Azure Files account with Entra Kerberos: the "[Storage Account] …" app with its six SPNs.</summary>
public sealed class SeedStorageAccount
{
    /// <summary>Storage account name: 3–24 lowercase letters and digits.</summary>
    public string? Name { get; set; }

    public string? ObjectId { get; set; }

    /// <summary>A password or "kk:" + base64 of the kerb1 key's first 32 bytes (facts §5.3).</summary>
    public string? Password { get; set; }

    public uint? Kvno { get; set; }

    /// <summary>Defaults to six months after load, like the manual-preview SP password.</summary>
    public DateTimeOffset? PasswordExpiresOn { get; set; }

    /// <summary>Also register the six privatelink.file.core.windows.net SPNs.</summary>
    public bool? PrivateLink { get; set; }

    public List<string>? Tags { get; set; }
}

/// <summary>A registered device: certificate (CN = deviceId) and transport public key, DER base64 or PEM.</summary>
public sealed class SeedDevice
{
    /// <summary>Optional; must equal the certificate's subject CN.</summary>
    public string? DeviceId { get; set; }

    public string? DisplayName { get; set; }

    public string? Certificate { get; set; }

    public string? TransportKey { get; set; }
}
