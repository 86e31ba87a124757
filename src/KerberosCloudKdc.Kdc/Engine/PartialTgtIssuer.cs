using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// The outcome of asking for a partial TGT (tgt_ad). <see cref="Configured"/> is false when the user's
/// on-premises domain has no cloud trust: the token response then leaves tgt_ad out. Otherwise either
/// <see cref="Ticket"/> is set, or <see cref="Error"/> says why this user gets none (denied by the
/// replication policy, not synced, disabled...), which goes into tgt_ad's error field.
/// </summary>
public sealed record PartialTgtOutcome
{
    public required bool Configured { get; init; }

    /// <summary>The AD realm (upper-case DNS name), when configured.</summary>
    public string? Realm { get; init; }

    /// <summary>The client name in the ticket: the user's SAM account name (NT-PRINCIPAL).</summary>
    public PrincipalName? ClientName { get; init; }

    public IssuedTicket? Ticket { get; init; }

    public string? Error { get; init; }

    public static PartialTgtOutcome NotConfigured { get; } = new() { Configured = false };
}

/// <summary>
/// Mints partial TGTs for cloud Kerberos trust (facts §4.2–4.5): realm = the AD domain, sname krbtgt/REALM,
/// cname = SAM account name, encrypted with the krbtgt_AzureAD key under kvno RODC &lt;&lt; 16 | version,
/// PAC with only the user's SID and name; the AS-REP enc-part is encrypted with <c>replyKey</c> (usage 3).
/// </summary>
public sealed class PartialTgtIssuer
{
    private readonly IDirectoryStore store;
    private readonly TimeProvider clock;
    private readonly IKerberosRandom random;

    public PartialTgtIssuer(IDirectoryStore store, TimeProvider clock, IKerberosRandom random)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(random);
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    // Contract placeholder: the cloud-trust slice (issue 5 §2) implements this.
    public ValueTask<PartialTgtOutcome> IssueAsync(Tenant tenant, DirectoryUser user, KerberosKey replyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(replyKey);
        _ = (store, clock, random);
        return ValueTask.FromResult(PartialTgtOutcome.NotConfigured);
    }
}
