using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Audit;

/// <summary>
/// One authentication outcome, shaped after Entra's sign-in log: who, what, result, why, from where.
/// Never holds passwords, keys or ticket bytes.
/// </summary>
public sealed record SignInEvent
{
    public required Guid Id { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required Guid TenantId { get; init; }

    /// <summary>AS, TGS or token.</summary>
    public required SignInKind Kind { get; init; }

    /// <summary>user@REALM or the UPN, when known.</summary>
    public string? Client { get; init; }

    public string? Service { get; init; }

    public required bool Succeeded { get; init; }

    public KerberosErrorCode? ErrorCode { get; init; }

    public string? Reason { get; init; }

    public string? ClientAddress { get; init; }

    public string RequestId { get; init; } = string.Empty;
}

public enum SignInKind
{
    As,
    Tgs,
    Token,
}
