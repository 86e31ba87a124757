using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>The reply bytes and what happened, for the host's log line and the sign-in log. Holds no secrets.</summary>
public sealed record KdcResponse
{
    public required ReadOnlyMemory<byte> Reply { get; init; }

    public required KdcOutcome Outcome { get; init; }
}

/// <summary>One request's result: message type, names, and for refusals the error code and a short reason.</summary>
public sealed record KdcOutcome
{
    /// <summary>Null when the request could not be parsed far enough to know.</summary>
    public MessageType? RequestType { get; init; }

    /// <summary>user@REALM as the client named itself, when known.</summary>
    public string? Client { get; init; }

    /// <summary>The requested service principal, when known.</summary>
    public string? Service { get; init; }

    /// <summary>Null on success.</summary>
    public KerberosErrorCode? ErrorCode { get; init; }

    /// <summary>Short, log-safe reason for a refusal ("wrong password", "SPN not registered"); null on success.</summary>
    public string? Reason { get; init; }

    public bool Succeeded => ErrorCode is null;
}
