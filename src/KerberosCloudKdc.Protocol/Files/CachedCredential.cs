using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Files;

/// <summary>
/// A ticket and what the client needs to use it, as a credential cache stores it. The ticket stays
/// DER bytes: the cache is a container, and the client never decrypts its own tickets.
/// </summary>
public sealed class CachedCredential
{
    /// <summary>MIT stores cache settings (e.g. "fast_avail") as fake credentials for servers in this realm.</summary>
    public const string ConfigurationRealm = "X-CACHECONF:";

    private readonly DateTimeOffset authTime = DateTimeOffset.UnixEpoch;
    private readonly DateTimeOffset startTime = DateTimeOffset.UnixEpoch;
    private readonly DateTimeOffset endTime = DateTimeOffset.UnixEpoch;
    private readonly DateTimeOffset renewTill = DateTimeOffset.UnixEpoch;

    public required string ClientRealm { get; init; }

    public required PrincipalName Client { get; init; }

    public required string ServerRealm { get; init; }

    public required PrincipalName Server { get; init; }

    /// <summary>The session key; an empty Null-type key in configuration entries.</summary>
    public required KerberosKey Key { get; init; }

    public DateTimeOffset AuthTime { get => authTime; init => authTime = FileTime.Check(value, nameof(AuthTime)); }

    /// <summary>The Unix epoch stands for "not set" here and in the other times, as 0 does in the file.</summary>
    public DateTimeOffset StartTime { get => startTime; init => startTime = FileTime.Check(value, nameof(StartTime)); }

    public DateTimeOffset EndTime { get => endTime; init => endTime = FileTime.Check(value, nameof(EndTime)); }

    public DateTimeOffset RenewTill { get => renewTill; init => renewTill = FileTime.Check(value, nameof(RenewTill)); }

    /// <summary>MIT's is_skey: the ticket is encrypted in another ticket's session key (user-to-user).</summary>
    public bool IsUserToUser { get; init; }

    /// <summary>
    /// The ticket flags in KerberosFlags order: flag bit 0 is the most significant bit, so forwardable
    /// (bit 1) is 0x40000000 and initial (bit 9) is 0x00400000.
    /// </summary>
    public uint TicketFlags { get; init; }

    public IReadOnlyList<CredentialCacheAddress> Addresses { get; init; } = [];

    public IReadOnlyList<CredentialCacheAuthData> AuthorizationData { get; init; } = [];

    /// <summary>The Ticket as DER (starts with application tag 1, 0x61); empty in configuration entries.</summary>
    public ReadOnlyMemory<byte> Ticket { get; init; }

    /// <summary>The additional ticket of a user-to-user request; usually empty.</summary>
    public ReadOnlyMemory<byte> SecondTicket { get; init; }

    public bool IsConfigurationEntry => string.Equals(ServerRealm, ConfigurationRealm, StringComparison.Ordinal);

    public override string ToString() => $"{Client}@{ClientRealm} -> {Server}@{ServerRealm}";
}
