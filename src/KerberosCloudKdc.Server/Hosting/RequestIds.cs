using Serilog.Context;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// Every response carries x-ms-request-id (a fresh GUID, also the log correlation id and TraceIdentifier);
/// a sane client-request-id is echoed, as Entra's front end does.
/// </summary>
internal static class RequestIds
{
    public const string RequestIdHeader = "x-ms-request-id";
    public const string ClientRequestIdHeader = "client-request-id";

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var id = Guid.NewGuid().ToString("D");
        context.TraceIdentifier = id;
        context.Response.Headers[RequestIdHeader] = id;
        if (context.Request.Headers.TryGetValue(ClientRequestIdHeader, out var values) && values.Count == 1 && IsSafe(values[0]))
        {
            context.Response.Headers[ClientRequestIdHeader] = values[0];
        }

        using (LogContext.PushProperty("RequestId", id))
        {
            await next(context).ConfigureAwait(false);
        }
    });

    private static bool IsSafe(string? value) =>
        value is { Length: > 0 and <= 128 } && value.All(c => c is > ' ' and < (char)127);
}
