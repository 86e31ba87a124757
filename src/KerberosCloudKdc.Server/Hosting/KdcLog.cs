using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>The host's log lines. Names and outcomes only: never passwords, keys or ticket bytes.</summary>
internal static partial class KdcLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "KDC {Transport} tenant={Tenant} request={RequestId} type={MessageType} client={Client} service={Service} result={Result} error={ErrorCode} reason={Reason} duration_ms={DurationMs:0.###}")]
    public static partial void Request(
        ILogger logger, string transport, Guid tenant, string requestId, MessageType? messageType, string? client, string? service,
        string result, KerberosErrorCode? errorCode, string? reason, double durationMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "KDC {Transport} request={RequestId} refused with HTTP {Status}: {Reason}")]
    public static partial void HttpRefused(ILogger logger, string transport, string requestId, int status, string reason);

    // The type only, no stack trace: a hostile request that finds an engine bug must not write our internals to the log.
    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "KDC {Transport} request={RequestId}: the engine failed ({ExceptionType})")]
    public static partial void EngineFailed(ILogger logger, string transport, string requestId, string exceptionType);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "KDC {Transport} request={RequestId}: the sign-in log failed ({ExceptionType})")]
    public static partial void SignInLogFailed(ILogger logger, string transport, string requestId, string exceptionType);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "KDC {Transport} from {Remote}: {Reason}")]
    public static partial void RawRefused(ILogger logger, string transport, string? remote, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Raw Kerberos {Transport} listener on {Endpoint}")]
    public static partial void ListenerStarted(ILogger logger, string transport, System.Net.EndPoint endpoint);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Raw Kerberos {Transport} listener error: {Message}")]
    public static partial void ListenerError(ILogger logger, string transport, string message);
}
