using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>Who is asking and for which tenant; the host resolves the tenant from the URL before calling.</summary>
public sealed record KdcRequestContext
{
    public required Tenant Tenant { get; init; }

    /// <summary>Correlation id echoed to logs (the host's x-ms-request-id).</summary>
    public string RequestId { get; init; } = string.Empty;

    public string? RemoteAddress { get; init; }
}
