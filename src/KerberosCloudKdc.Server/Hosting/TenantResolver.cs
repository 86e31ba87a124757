using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>Turns the first URL segment into a tenant: a GUID, a verified domain, or common / organizations.</summary>
public sealed class TenantResolver(IDirectoryStore store)
{
    private const int MaxSegmentLength = 256;

    public static bool IsMultiTenant(string segment) =>
        string.Equals(segment, "common", StringComparison.OrdinalIgnoreCase)
        || string.Equals(segment, "organizations", StringComparison.OrdinalIgnoreCase);

    /// <summary>The tenant named by a GUID or verified domain; null when unknown (or the segment is absurd).</summary>
    public async ValueTask<Tenant?> FindAsync(string segment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Length is 0 or > MaxSegmentLength)
        {
            return null;
        }

        return await store.FindTenantAsync(segment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For the KDC: common and organizations (and /KdcProxy) serve the default tenant.</summary>
    public async ValueTask<Tenant?> FindForKdcAsync(string? segment, CancellationToken cancellationToken) =>
        segment is null || IsMultiTenant(segment)
            ? await store.GetDefaultTenantAsync(cancellationToken).ConfigureAwait(false)
            : await FindAsync(segment, cancellationToken).ConfigureAwait(false);
}
