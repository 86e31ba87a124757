using System.Text;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Kkdcp;

/// <summary>
/// MS-KKDCP over HTTPS: POST /{tenant}/kerberos (Entra's path) and POST /KdcProxy (the protocol's default
/// path, default tenant). Status table: 405 (Allow: POST), 411, 413, 404 unknown tenant, 400 for a body
/// that is not a KDC-PROXY-MESSAGE carrying an AS-REQ/TGS-REQ or names another realm; otherwise 200
/// application/kerberos with the reply framed as the request was, KRB-ERRORs included. Every response
/// has a Content-Length: MIT reads HTTP/1.0 until close and never expects chunks.
/// </summary>
internal static class KdcProxyEndpoint
{
    public const string ContentType = "application/kerberos";
    private const string Transport = "https";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("/{tenant}/kerberos", (HttpContext context, string tenant) => HandleAsync(context, tenant));
        app.Map("/KdcProxy", (HttpContext context) => HandleAsync(context, tenantSegment: null));
    }

    private static async Task HandleAsync(HttpContext context, string? tenantSegment)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<CloudKdcOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("KerberosCloudKdc.Server.Kkdcp");
        var requestId = context.TraceIdentifier;
        var request = context.Request;

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await RefuseAsync(context, logger, StatusCodes.Status405MethodNotAllowed, "Only POST is allowed.").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength is not { } length)
        {
            await RefuseAsync(context, logger, StatusCodes.Status411LengthRequired, "Content-Length is required.").ConfigureAwait(false);
            return;
        }

        if (length > options.MaxRequestBytes)
        {
            await OversizedBody.DiscardAsync(context).ConfigureAwait(false);
            await RefuseAsync(context, logger, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {options.MaxRequestBytes} bytes.").ConfigureAwait(false);
            return;
        }

        if (length == 0)
        {
            await RefuseAsync(context, logger, StatusCodes.Status400BadRequest, "The request body is empty.").ConfigureAwait(false);
            return;
        }

        var tenant = await services.GetRequiredService<TenantResolver>().FindForKdcAsync(tenantSegment, context.RequestAborted).ConfigureAwait(false);
        if (tenant is null)
        {
            await RefuseAsync(context, logger, StatusCodes.Status404NotFound, "Unknown tenant.").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = options.MaxRequestBytes;
        }

        var body = new byte[length];
        int read;
        try
        {
            read = await request.Body.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await RefuseAsync(context, logger, e.StatusCode, "The request body could not be read.").ConfigureAwait(false);
            return;
        }

        if (read != body.Length)
        {
            await RefuseAsync(context, logger, StatusCodes.Status400BadRequest, "The request body is shorter than Content-Length.").ConfigureAwait(false);
            return;
        }

        KdcProxyMessage proxyMessage;
        ReadOnlyMemory<byte> kerberosMessage;
        KdcProxyFraming framing;
        try
        {
            proxyMessage = KdcProxyMessage.Decode(body);
            kerberosMessage = proxyMessage.Unwrap(out framing);
        }
        catch (KerberosProtocolException)
        {
            await RefuseAsync(context, logger, StatusCodes.Status400BadRequest, "The body is not a KDC-PROXY-MESSAGE carrying a Kerberos message.").ConfigureAwait(false);
            return;
        }

        if (proxyMessage.TargetDomain is { } targetDomain && !string.Equals(targetDomain, CloudRealm.Name, StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, logger, StatusCodes.Status400BadRequest, $"target-domain must be {CloudRealm.Name}.").ConfigureAwait(false);
            return;
        }

        if (!KdcDispatcher.IsKdcRequest(kerberosMessage.Span))
        {
            await RefuseAsync(context, logger, StatusCodes.Status400BadRequest, "kerb-message is not an AS-REQ or TGS-REQ.").ConfigureAwait(false);
            return;
        }

        var dispatcher = services.GetRequiredService<KdcDispatcher>();
        var remote = context.Connection.RemoteIpAddress?.ToString();
        // An engine fault is still a Kerberos answer, framed like the request, as on TCP and UDP: MIT's client
        // ignores HTTP status codes and would otherwise see a truncated reply.
        var replyBytes = await dispatcher.ProcessAsync(kerberosMessage, tenant, requestId, remote, Transport, context.RequestAborted).ConfigureAwait(false)
            ?? dispatcher.Error(KerberosErrorCode.KRB_ERR_GENERIC, "Internal error.");

        var encoded = KdcProxyMessage.Wrap(replyBytes.Span, framing).Encode();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = encoded.Length;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(encoded, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, ILogger logger, int status, string reason)
    {
        KdcLog.HttpRefused(logger, Transport, context.TraceIdentifier, status, reason);
        return WriteTextAsync(context, status, reason);
    }

    private static Task WriteTextAsync(HttpContext context, int status, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
