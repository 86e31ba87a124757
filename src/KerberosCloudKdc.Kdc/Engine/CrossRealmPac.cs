using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// SID filtering for PACs from an inbound trust (the cloud KDC's side of a forest trust's SID filtering).
/// The rule, kept deliberately simple:
/// <list type="bullet">
/// <item>The cloud namespace is ours: any SID with identifier authority 12 (S-1-12-…, Entra object SIDs) the
/// other realm claims is dropped from the extra SIDs and resource groups; a user SID (logon domain) in that
/// namespace makes the whole PAC unacceptable.</item>
/// <item>Everything else the trusted realm says about its users (its domain SID, group RIDs, other extra SIDs)
/// is kept as presented; the trusted realm's domain SID is not configured, so it is not checked against the
/// tenant's on-premises domain.</item>
/// <item>A PAC without logon info (MIT 1.20+ issues such minimal PACs: client info and signatures) is passed on
/// as it is: the service learns the client's name, but no SIDs.</item>
/// <item>Only the buffers this KDC interprets survive (logon info, client info, UPN_DNS_INFO, attributes,
/// requestor); claims, device info, credential info and anything unknown are dropped, and all signatures are
/// replaced when the ticket is issued.</item>
/// </list>
/// </summary>
internal static class CrossRealmPac
{
    /// <summary>The Entra identifier authority: S-1-12-….</summary>
    public const ulong CloudAuthority = 12;

    /// <returns>The filtered, unsigned PAC; null when the user SID itself lies in the cloud namespace.</returns>
    public static PrivilegeAttributeCertificate? Filter(PrivilegeAttributeCertificate presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (presented.LogonInfo?.LogonDomainId is { } domain && IsCloud(domain))
        {
            return null;
        }

        if ((presented.Requestor is { } requestor && IsCloud(requestor.Sid)) || (presented.UpnDnsInfo?.Sid is { } upnSid && IsCloud(upnSid)))
        {
            return null;
        }

        var buffers = new List<PacBuffer>();
        foreach (var buffer in presented.Buffers)
        {
            switch (buffer)
            {
                case KerbValidationInfo info:
                    buffers.Add(FilterLogonInfo(info));
                    break;
                case PacClientInfo or UpnDnsInfo or PacAttributesInfo or PacRequestor:
                    buffers.Add(buffer);
                    break;
            }
        }

        return new PrivilegeAttributeCertificate(buffers);
    }

    private static bool IsCloud(SecurityIdentifier sid) => sid.IdentifierAuthority == CloudAuthority;

    private static KerbValidationInfo FilterLogonInfo(KerbValidationInfo info)
    {
        var extraSids = info.ExtraSids.Where(e => !IsCloud(e.Sid)).ToArray();
        var keepResource = info.ResourceGroupDomainSid is { } resourceDomain && !IsCloud(resourceDomain) && info.ResourceGroupIds.Count > 0;
        var flags = info.UserFlags;
        flags = extraSids.Length > 0 ? flags | UserFlags.ExtraSidsPresent : flags & ~UserFlags.ExtraSidsPresent;
        flags = keepResource ? flags | UserFlags.ResourceGroupsPresent : flags & ~UserFlags.ResourceGroupsPresent;
        return new KerbValidationInfo
        {
            LogonTime = info.LogonTime,
            LogoffTime = info.LogoffTime,
            KickOffTime = info.KickOffTime,
            PasswordLastSet = info.PasswordLastSet,
            PasswordCanChange = info.PasswordCanChange,
            PasswordMustChange = info.PasswordMustChange,
            EffectiveName = info.EffectiveName,
            FullName = info.FullName,
            LogonScript = info.LogonScript,
            ProfilePath = info.ProfilePath,
            HomeDirectory = info.HomeDirectory,
            HomeDirectoryDrive = info.HomeDirectoryDrive,
            LogonCount = info.LogonCount,
            BadPasswordCount = info.BadPasswordCount,
            UserId = info.UserId,
            PrimaryGroupId = info.PrimaryGroupId,
            GroupIds = info.GroupIds,
            UserFlags = flags,
            UserSessionKey = new byte[16],
            LogonServer = info.LogonServer,
            LogonDomainName = info.LogonDomainName,
            LogonDomainId = info.LogonDomainId,
            Reserved1 = info.Reserved1,
            UserAccountControl = info.UserAccountControl,
            SubAuthStatus = info.SubAuthStatus,
            LastSuccessfulILogon = info.LastSuccessfulILogon,
            LastFailedILogon = info.LastFailedILogon,
            FailedILogonCount = info.FailedILogonCount,
            Reserved3 = info.Reserved3,
            ExtraSids = extraSids,
            ResourceGroupDomainSid = keepResource ? info.ResourceGroupDomainSid : null,
            ResourceGroupIds = keepResource ? info.ResourceGroupIds : [],
        };
    }
}
