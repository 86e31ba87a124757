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

    /// <summary>Names come from unauthenticated requests; longer ones are cut so a log line stays a line.</summary>
    public const int MaxNameLength = 256;

    /// <summary>user@REALM as the client named itself, when known. Control characters are replaced (see <see cref="LogSafe"/>).</summary>
    public string? Client { get; init => field = LogSafe(value); }

    /// <summary>The requested service principal, when known. Control characters are replaced.</summary>
    public string? Service { get; init => field = LogSafe(value); }

    /// <summary>Null on success.</summary>
    public KerberosErrorCode? ErrorCode { get; init; }

    /// <summary>Short, log-safe reason for a refusal ("wrong password", "SPN not registered"); null on success.</summary>
    public string? Reason { get; init; }

    public bool Succeeded => ErrorCode is null;

    /// <summary>
    /// A client picks its own name, so a CR/LF or an escape sequence in it could forge log lines or sign-in
    /// entries: control characters become '?', and the length is capped.
    /// </summary>
    public static string? LogSafe(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var length = Math.Min(text.Length, MaxNameLength);
        var clean = true;
        for (var i = 0; i < length && clean; i++)
        {
            clean = !char.IsControl(text[i]);
        }

        if (clean && length == text.Length)
        {
            return text;
        }

        return string.Create(length, text, static (destination, source) =>
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
