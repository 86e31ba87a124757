using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// The virtual RODC's password replication policy (facts §4.5), in the spirit of MS-DRSR's
/// GetRevealSecretsPolicyForUser: a SID of the user on the denied list refuses, whatever the allowed list
/// says; otherwise one SID on the allowed list is needed. Memberships are the direct ones the directory
/// knows (synced groups); nested AD membership is not expanded, which is why the default denied list
/// spells out the members of the Denied RODC Password Replication Group.
/// </summary>
internal static class ReplicationPolicy
{
    /// <summary>Null when the user may get a partial TGT; otherwise the reason, naming the deciding SID.</summary>
    /// <param name="userSids">The user's own SID, primary group and synced group SIDs, each with a display label.</param>
    public static string? Refusal(CloudTrustDomain trust, IReadOnlyList<(SecurityIdentifier Sid, string Label)> userSids)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(userSids);
        foreach (var (sid, label) in userSids)
        {
            if (trust.DeniedGroupSids.Contains(sid))
            {
                return $"denied by the replication policy ({label})";
            }
        }

        return userSids.Any(s => trust.AllowedGroupSids.Contains(s.Sid))
            ? null
            : "not in an allowed replication group";
    }
}
