using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Server.Admin;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>Cloud trust commands on the data directory's store, through the API's <see cref="CloudTrustAdministration"/>.</summary>
internal sealed partial class OfflineBackend
{
    public async Task<IReadOnlyList<JsonObject>> ListCloudTrustsAsync(CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await CloudTrustAdministration.ListAsync(Store, current, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> GetCloudTrustAsync(string domain, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(async () => CloudTrustAdministration.Json(
            await CloudTrustAdministration.GetAsync(Store, current, domain, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
    }

    public async Task<JsonObject> SetCloudTrustAsync(string domain, JsonObject body, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(async () =>
        {
            var (json, _, invalid) = await CloudTrustAdministration.SetAsync(
                Store, current, domain, JsonSerializer.SerializeToElement(body), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return Valid(json, invalid);
        }).ConfigureAwait(false);
    }

    public async Task<JsonObject> RotateCloudTrustAsync(string domain, bool force, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(() => CloudTrustAdministration.RotateAsync(Store, current, domain, random, clock.GetUtcNow(), force, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<byte[]> ExportCloudTrustKeytabAsync(string domain, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(async () => CloudTrustAdministration.BuildKeytab(
            await CloudTrustAdministration.GetAsync(Store, current, domain, cancellationToken).ConfigureAwait(false), clock.GetUtcNow())).ConfigureAwait(false);
    }

    public async Task RemoveCloudTrustAsync(string domain, CancellationToken cancellationToken)
    {
        var current = await TenantAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(async () =>
        {
            await CloudTrustAdministration.DeleteAsync(Store, current, domain, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }
}
