using System.Text;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// POST /{tenant}/oauth2/token and /{tenant}/oauth2/v2.0/token: reads a bounded form body, hands it to
/// <see cref="TokenService"/>, writes JSON, and records the outcome in the sign-in log (kind Token) and the
/// request log. Replies never carry exception text; logs never carry passwords, keys or tokens.
/// </summary>
internal static class TokenEndpoint
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("/{tenant}/oauth2/token", HandleAsync);
        app.Map("/{tenant}/oauth2/v2.0/token", HandleAsync);
    }

    private static async Task HandleAsync(HttpContext context, string tenant)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("KerberosCloudKdc.Server.Token");
        context.Response.Headers.CacheControl = "no-store";
        TokenOutcome outcome;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            outcome = TokenOutcome.Refused(EntraError.MethodNotAllowed(), null, null, "token") with { IsSignIn = false };
        }
        else if (await ReadFormAsync(context).ConfigureAwait(false) is not { } form)
        {
            outcome = TokenOutcome.Refused(EntraError.TooLarge(MaxBodyBytes), null, null, "token");
        }
        else
        {
            try
            {
                outcome = await services.GetRequiredService<TokenService>().HandleAsync(form, tenant, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A fault answers this request with a 500 in Entra's shape; the host stays up and no detail leaks.
            catch (Exception e)
#pragma warning restore CA1031
            {
                TokenLog.Failed(logger, context.TraceIdentifier, e is PrtKeyFileException ? e.Message : e.GetType().Name);
                outcome = TokenOutcome.Refused(EntraError.ServerError(), null, null, "token");
            }
        }

        // Refusals before the service ran (size, fault) still belong in the path tenant's log when it names one.
        if (outcome.TenantId is null && outcome.Status is 413 or 500 && !TenantResolver.IsMultiTenant(tenant))
        {
            var found = await services.GetRequiredService<TenantResolver>().FindAsync(tenant, context.RequestAborted).ConfigureAwait(false);
            outcome = outcome with { TenantId = found?.Id };
        }

        TokenLog.Outcome(logger, context.TraceIdentifier, outcome.TenantId, outcome.Client, outcome.Service, outcome.Status, outcome.Error?.Summary);
        if (outcome.IsSignIn)
        {
            await RecordAsync(services, context, outcome, logger).ConfigureAwait(false);
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var body = outcome.Body ?? outcome.Error!.ToJson(context.TraceIdentifier, CorrelationId(context), clock.GetUtcNow());
        context.Response.StatusCode = outcome.Status;
        context.Response.ContentType = outcome.Body is null ? TokenOutcome.JsonContentType : outcome.ContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The form fields (first value of each); null when the body exceeds <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<Dictionary<string, string>?> ReadFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await OversizedBody.DiscardAsync(context).ConfigureAwait(false);
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        }

        // One byte more than allowed tells "too large" from "exactly the limit" without trusting Content-Length.
        var buffer = new byte[MaxBodyBytes + 1];
        int read;
        try
        {
            read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return null;
        }

        if (read > MaxBodyBytes)
        {
            return null;
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(buffer, 0, read)))
        {
            form[name] = values.Count > 0 ? values[0] ?? string.Empty : string.Empty;
        }

        return form;
    }

    private static string CorrelationId(HttpContext context) =>
        context.Request.Headers.TryGetValue(RequestIds.ClientRequestIdHeader, out var values) && values.Count == 1 && Guid.TryParse(values[0], out var id)
            ? id.ToString("D")
            : context.TraceIdentifier;

    /// <summary>One sign-in event per outcome; a failing log never fails the request.</summary>
    private static async Task RecordAsync(IServiceProvider services, HttpContext context, TokenOutcome outcome, ILogger logger)
    {
        var signIn = new SignInEvent
        {
            Id = Guid.CreateVersion7(),
            Time = services.GetRequiredService<TimeProvider>().GetUtcNow(),

            // A request for a tenant that does not exist still leaves its trace, under the empty tenant id.
            TenantId = outcome.TenantId ?? Guid.Empty,
            Kind = SignInKind.Token,
            Client = outcome.Client,
            Service = outcome.Service,
            Succeeded = outcome.Error is null,
            Reason = outcome.Error?.Summary,
            ClientAddress = context.Connection.RemoteIpAddress?.ToString(),
            RequestId = context.TraceIdentifier,
        };
        try
        {
            await services.GetRequiredService<ISignInLog>().AppendAsync(signIn, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The sign-in log is best effort, as for the KDC transports.
        catch (Exception e)
#pragma warning restore CA1031
        {
            TokenLog.SignInLogFailed(logger, context.TraceIdentifier, e.GetType().Name);
        }
    }
}
