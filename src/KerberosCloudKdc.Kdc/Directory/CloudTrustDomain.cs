using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// Cloud Kerberos trust for one on-premises AD domain (facts §4.1): the virtual RODC "AzureADKerberos" and
/// its secondary krbtgt_AzureAD key, with which this KDC mints partial TGTs (<c>tgt_ad</c>) that a writable
/// DC of that domain exchanges for a full TGT. Only users the RODC password replication policy reveals get one.
/// </summary>
public sealed record CloudTrustDomain
{
    /// <summary>The AD domain's DNS name, e.g. contoso.com; the partial TGT's realm is its upper-case form.</summary>
    public required string DnsName { get; init; }

    /// <summary>The RODC number (msDS-SecondaryKrbTgtNumber, the N of krbtgt_N); the kvno's high 16 bits.</summary>
    public required ushort RodcNumber { get; init; }

    /// <summary>
    /// krbtgt_AzureAD keys, newest first. <see cref="StoredKey.Kvno"/> holds the full KeyVersion as
    /// Get-AzureADKerberosServer shows it; tickets carry <c>RodcNumber &lt;&lt; 16 | (KeyVersion &amp; 0xFFFF)</c>.
    /// </summary>
    public required IReadOnlyList<StoredKey> Keys { get; init; }

    /// <summary>When the newest key was set or rotated (Get-AzureADKerberosServer's KeyUpdatedOn).</summary>
    public required DateTimeOffset KeyUpdatedOn { get; init; }

    /// <summary>msDS-RevealOnDemandGroup: SIDs (or well-known RIDs resolved against the domain SID) allowed a partial TGT.</summary>
    public IReadOnlyList<SecurityIdentifier> AllowedGroupSids { get; init; } = [];

    /// <summary>msDS-NeverRevealGroup: SIDs that never get a partial TGT; deny wins over allow.</summary>
    public IReadOnlyList<SecurityIdentifier> DeniedGroupSids { get; init; } = [];

    /// <summary>The partial TGT's realm: the DNS name upper-cased.</summary>
    public string Realm => DnsName.ToUpperInvariant();

    /// <summary>The sAMAccountName of the secondary krbtgt account (krbtgt_N).</summary>
    public string KrbtgtAccountName => "krbtgt_" + RodcNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The kvno tickets carry for <paramref name="keyVersion"/> (MS-KILE §3.1.5.8): the RODC number in the high
    /// 16 bits, the key version's low 16 bits below it (facts §4.2: KeyVersion can exceed 65535).
    /// </summary>
    public uint TicketKvno(uint keyVersion) => ((uint)RodcNumber << 16) | (keyVersion & 0xFFFF);

    /// <summary>
    /// The allowed list a new trust gets when none is given (facts §4.5): Domain Users (513), which Entra's
    /// RODC reveals, and the Allowed RODC Password Replication Group (571), the AD default for any RODC.
    /// </summary>
    public static IReadOnlyList<SecurityIdentifier> DefaultAllowed(SecurityIdentifier domainSid)
    {
        ArgumentNullException.ThrowIfNull(domainSid);
        return [domainSid.WithRid(513), domainSid.WithRid(571)];
    }

    /// <summary>
    /// The denied list a new trust gets when none is given: AD's default msDS-NeverRevealGroup, i.e. the Denied
    /// RODC Password Replication Group (572) and, spelled out because this emulator does not expand nested
    /// membership, the groups AD puts in it (512 Domain Admins, 519 Enterprise Admins, 518 Schema Admins, 517 Cert
    /// Publishers, 520 Group Policy Creator Owners, 516 Domain Controllers, 521 Read-only Domain Controllers,
    /// 502 krbtgt), plus the builtin Administrators, Account, Server and Backup Operators.
    /// </summary>
    public static IReadOnlyList<SecurityIdentifier> DefaultDenied(SecurityIdentifier domainSid)
    {
        ArgumentNullException.ThrowIfNull(domainSid);
        uint[] rids = [572, 512, 519, 518, 517, 520, 516, 521, 502];
        uint[] builtin = [544, 548, 549, 551];
        return [.. rids.Select(domainSid.WithRid), .. builtin.Select(rid => new SecurityIdentifier(5, [32, rid]))];
    }
}
