using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// Reads and drops a request body declared too large, before the 413 goes out. Without this Kestrel closes the
/// connection while the client is still uploading, and the client sees a broken pipe instead of the 413. Only
/// bodies up to <see cref="DrainLimitBytes"/> are drained; bigger ones still get the connection closed on them.
/// </summary>
internal static class OversizedBody
{
    public const long DrainLimitBytes = 1024 * 1024;

    public static async Task DiscardAsync(HttpContext context)
    {
        if (context.Request.ContentLength is not { } length || length > DrainLimitBytes)
        {
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = DrainLimitBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // The client went away or lied about the length; the 413 is still the answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
