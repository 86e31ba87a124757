using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// The origin written into discovery documents and the krb5.conf snippet: CloudKdc:PublicOrigin when set,
/// otherwise the server's first https listening address (wildcards shown as localhost), otherwise the
/// request's own scheme and host.
/// </summary>
public sealed class PublicOrigin(IOptions<CloudKdcOptions> options, IServer server)
{
    public string? FromServer()
    {
        if (options.Value.PublicOriginUri is { } configured)
        {
            return configured.GetLeftPart(UriPartial.Authority);
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        if (!Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri.GetLeftPart(UriPartial.Authority);
    }

    public string For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return FromServer() ?? $"{context.Request.Scheme}://{context.Request.Host.Value}";
    }
}
