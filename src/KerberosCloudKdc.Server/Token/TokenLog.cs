namespace KerberosCloudKdc.Server.Token;

/// <summary>The token endpoint's structured log lines: names and codes only, never secrets.</summary>
internal static partial class TokenLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "token {RequestId} tenant={TenantId} client={Client} service={Service} status={Status} {Reason}")]
    public static partial void Outcome(ILogger logger, string requestId, Guid? tenantId, string? client, string? service, int status, string? reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "token {RequestId} failed: {Failure}")]
    public static partial void Failed(ILogger logger, string requestId, string failure);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "token {RequestId} sign-in log append failed: {ExceptionType}")]
    public static partial void SignInLogFailed(ILogger logger, string requestId, string exceptionType);
}
