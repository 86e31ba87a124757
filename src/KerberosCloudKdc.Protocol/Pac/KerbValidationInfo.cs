namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.5 KERB_VALIDATION_INFO (PAC_LOGON_INFO, buffer type 1). The wire form is NDR with a
// type-serialisation v1 header; see KerbValidationInfoCodec. Field names follow the spec.

/// <summary>The user's logon information: identity, group RIDs, extra SIDs and resource groups.</summary>
public sealed class KerbValidationInfo : PacBuffer
{
    public override PacBufferType Type => PacBufferType.LogonInfo;

    public FileTime LogonTime { get; init; }

    public FileTime LogoffTime { get; init; } = FileTime.Never;

    public FileTime KickOffTime { get; init; } = FileTime.Never;

    public FileTime PasswordLastSet { get; init; }

    public FileTime PasswordCanChange { get; init; }

    public FileTime PasswordMustChange { get; init; } = FileTime.Never;

    /// <summary>The sAMAccountName. Null means a null NDR pointer, "" an empty string: both occur on the wire.</summary>
    public string? EffectiveName { get; init; }

    public string? FullName { get; init; }

    public string? LogonScript { get; init; }

    public string? ProfilePath { get; init; }

    public string? HomeDirectory { get; init; }

    public string? HomeDirectoryDrive { get; init; }

    public ushort LogonCount { get; init; }

    public ushort BadPasswordCount { get; init; }

    public uint UserId { get; init; }

    public uint PrimaryGroupId { get; init; }

    /// <summary>Group RIDs relative to <see cref="LogonDomainId"/>.</summary>
    public IReadOnlyList<GroupMembership> GroupIds { get; init; } = [];

    public UserFlags UserFlags { get; init; }

    /// <summary>16 bytes; zero in Kerberos PACs (it is an NTLM artefact).</summary>
    public byte[] UserSessionKey { get; init; } = new byte[16];

    public string? LogonServer { get; init; }

    public string? LogonDomainName { get; init; }

    public SecurityIdentifier? LogonDomainId { get; init; }

    /// <summary>Two reserved ULONGs (8 bytes), kept so decoded PACs re-encode unchanged.</summary>
    public byte[] Reserved1 { get; init; } = new byte[8];

    public uint UserAccountControl { get; init; }

    public uint SubAuthStatus { get; init; }

    public FileTime LastSuccessfulILogon { get; init; }

    public FileTime LastFailedILogon { get; init; }

    public uint FailedILogonCount { get; init; }

    public uint Reserved3 { get; init; }

    /// <summary>SIDs from other domains (and well-known SIDs); meaningful only with <see cref="UserFlags.ExtraSidsPresent"/>.</summary>
    public IReadOnlyList<SidAndAttributes> ExtraSids { get; init; } = [];

    public SecurityIdentifier? ResourceGroupDomainSid { get; init; }

    public IReadOnlyList<GroupMembership> ResourceGroupIds { get; init; } = [];

    /// <summary>LogonDomainId + UserId; null when the PAC has no domain SID.</summary>
    public SecurityIdentifier? UserSid => LogonDomainId?.WithRid(UserId);

    /// <summary>Every group SID the PAC grants, in the order a token would list them.</summary>
    public IReadOnlyList<SecurityIdentifier> GroupSids()
    {
        var sids = new List<SecurityIdentifier>();
        if (LogonDomainId is not null)
        {
            sids.AddRange(GroupIds.Select(g => LogonDomainId.WithRid(g.RelativeId)));
        }

        sids.AddRange(ExtraSids.Select(e => e.Sid));
        if (ResourceGroupDomainSid is not null)
        {
            sids.AddRange(ResourceGroupIds.Select(g => ResourceGroupDomainSid.WithRid(g.RelativeId)));
        }

        return sids;
    }

    public override byte[] Encode() => KerbValidationInfoCodec.Encode(this);

    public static KerbValidationInfo Decode(ReadOnlySpan<byte> data) => KerbValidationInfoCodec.Decode(data);
}
