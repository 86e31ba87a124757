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
