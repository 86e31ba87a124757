namespace KerberosCloudKdc.Protocol.Pac;

// MS-KILE §3.3.5.6.4 (what a KDC puts in a PAC) with MS-PAC §2.5, §2.7, §2.10, §2.14, §2.15 layouts.

/// <summary>
/// What the KDC layer knows about a user, turned into an unsigned <see cref="PrivilegeAttributeCertificate"/> laid out the
/// way a Windows DC lays it out: logon info, client info, UPN/DNS info, attributes, requestor.
/// Sign the result with <see cref="PacSigner"/>.
/// </summary>
public sealed class PacBuilder
{
    /// <summary>Domain Users: the primary group Windows gives ordinary accounts.</summary>
    public const uint DomainUsersRid = 513;

    /// <summary>USER_NORMAL_ACCOUNT | USER_DONT_EXPIRE_PASSWORD (MS-SAMR §2.2.1.12).</summary>
    public const uint DefaultUserAccountControl = 0x00000210;

    /// <summary>The sAMAccountName; also the PAC_CLIENT_INFO name unless <see cref="ClientName"/> is set.</summary>
    public required string UserName { get; init; }

    /// <summary>Null when the account has no UPN: then name@DnsDomainName is sent with the U flag.</summary>
    public string? Upn { get; init; }

    public required string DnsDomainName { get; init; }

    public required string NetBiosDomainName { get; init; }

    public required SecurityIdentifier DomainSid { get; init; }

    public required uint UserRid { get; init; }

    public uint PrimaryGroupRid { get; init; } = DomainUsersRid;

    /// <summary>Group RIDs in the user's domain; the primary group is added if missing, as Windows does.</summary>
    public IReadOnlyList<uint> GroupRids { get; init; } = [];

    public GroupAttributes GroupAttributes { get; init; } = GroupAttributes.DefaultGroup;

    /// <summary>SIDs outside the domain (e.g. S-1-18-1, universal groups of other domains).</summary>
    public IReadOnlyList<SidAndAttributes> ExtraSids { get; init; } = [];

    /// <summary>Resource groups (domain-local groups of a resource domain); both or neither.</summary>
    public SecurityIdentifier? ResourceGroupDomainSid { get; init; }

    public IReadOnlyList<uint> ResourceGroupRids { get; init; } = [];

    /// <summary>The ticket's authtime: PAC_CLIENT_INFO.ClientId must equal it exactly.</summary>
    public required DateTimeOffset AuthTime { get; init; }

    public string? FullName { get; init; }

    public string? LogonServer { get; init; }

    public FileTime PasswordLastSet { get; init; }

    public FileTime PasswordCanChange { get; init; }

    public FileTime PasswordMustChange { get; init; } = FileTime.Never;

    public uint UserAccountControl { get; init; } = DefaultUserAccountControl;

    /// <summary>The client principal's name as the ticket spells it; defaults to <see cref="UserName"/>.</summary>
    public string? ClientName { get; init; }

    /// <summary>
    /// PAC_ATTRIBUTES_INFO (MS-PAC §2.14): whether the client asked for the PAC, got it without asking, or
    /// declined it (neither flag; the KDC then leaves the PAC out of service tickets). Null omits the buffer.
    /// </summary>
    public PacAttributesInfo? Attributes { get; init; } = new(pacWasRequested: false, pacWasGivenImplicitly: true);

    /// <summary>UPN_DNS_INFO with the SAM name and SID extension (the S flag), as post-2021 DCs send.</summary>
    public bool IncludeSamNameAndSid { get; init; } = true;

    public bool IncludeRequestor { get; init; } = true;

    public PrivilegeAttributeCertificate Build()
    {
        var userSid = DomainSid.WithRid(UserRid);
        var authTime = FileTime.FromDateTimeOffset(AuthTime);
        var buffers = new List<PacBuffer>
        {
            BuildLogonInfo(authTime),
            new PacClientInfo(authTime, ClientName ?? UserName),
            new UpnDnsInfo(
                Upn ?? $"{UserName}@{DnsDomainName}",
                DnsDomainName,
                upnConstructed: Upn is null,
                samName: IncludeSamNameAndSid ? UserName : null,
                sid: IncludeSamNameAndSid ? userSid : null),
        };

        if (Attributes is not null)
        {
            buffers.Add(Attributes);
        }

        if (IncludeRequestor)
        {
            buffers.Add(new PacRequestor(userSid));
        }

        return new PrivilegeAttributeCertificate(buffers);
    }

    private KerbValidationInfo BuildLogonInfo(FileTime authTime)
    {
        var rids = GroupRids.Contains(PrimaryGroupRid) ? GroupRids : [PrimaryGroupRid, .. GroupRids];
        if ((ResourceGroupDomainSid is null) != (ResourceGroupRids.Count == 0))
        {
            throw new InvalidOperationException("Resource groups need both a domain SID and RIDs.");
        }

        var flags = (ExtraSids.Count > 0 ? UserFlags.ExtraSidsPresent : UserFlags.None)
            | (ResourceGroupDomainSid is not null ? UserFlags.ResourceGroupsPresent : UserFlags.None);

        return new KerbValidationInfo
        {
            LogonTime = authTime,
            PasswordLastSet = PasswordLastSet,
            PasswordCanChange = PasswordCanChange,
            PasswordMustChange = PasswordMustChange,
            EffectiveName = UserName,
            FullName = FullName ?? string.Empty,
            LogonScript = string.Empty,
            ProfilePath = string.Empty,
            HomeDirectory = string.Empty,
            HomeDirectoryDrive = string.Empty,
            UserId = UserRid,
            PrimaryGroupId = PrimaryGroupRid,
            GroupIds = rids.Distinct().Select(rid => new GroupMembership(rid, GroupAttributes)).ToArray(),
            UserFlags = flags,
            LogonServer = LogonServer ?? string.Empty,
            LogonDomainName = NetBiosDomainName,
            LogonDomainId = DomainSid,
            UserAccountControl = UserAccountControl,
            ExtraSids = ExtraSids.ToArray(),
            ResourceGroupDomainSid = ResourceGroupDomainSid,
            ResourceGroupIds = ResourceGroupRids
                .Select(rid => new GroupMembership(rid, GroupAttributes | GroupAttributes.Resource))
                .ToArray(),
        };
    }
}
