using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Server.Admin;

/// <summary>
/// /{tenant}/v1.0/kerberosServers: the cloud Kerberos trust of each on-premises domain (Set-, Get- and
/// Remove-AzureADKerberosServer, facts §4.1), plus rotate and the keytab a lab DC loads.
/// </summary>
internal static partial class AdminEndpoints
{
    private static void MapCloudTrust(RouteGroupBuilder api)
    {
        api.MapGet("/kerberosServers", (Func<HttpContext, Task<IResult>>)ListCloudTrustsAsync);
        api.MapGet("/kerberosServers/{domain}", GetCloudTrustAsync);
        api.MapPut("/kerberosServers/{domain}", SetCloudTrustAsync);
        api.MapDelete("/kerberosServers/{domain}", DeleteCloudTrustAsync);
        api.MapPost("/kerberosServers/{domain}/rotate", RotateCloudTrustAsync);
        api.MapGet("/kerberosServers/{domain}/keytab", CloudTrustKeytabAsync);
    }

    private static async Task<IResult> ListCloudTrustsAsync(HttpContext context) =>
        GraphJson.Collection(await CloudTrustAdministration.ListAsync(Store(context), TenantOf(context), context.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> GetCloudTrustAsync(HttpContext context, string domain)
    {
        try
        {
            return GraphJson.Ok(CloudTrustAdministration.Json(
                await CloudTrustAdministration.GetAsync(Store(context), TenantOf(context), domain, context.RequestAborted).ConfigureAwait(false)));
        }
        catch (AdminException e)
        {
            return AdminError(e);
        }
    }

    private static async Task<IResult> SetCloudTrustAsync(HttpContext context, string domain)
    {
        var (body, error) = await GraphJson.ReadObjectAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return await WriteAsync(context, async () =>
        {
            var (json, created, invalid) = await CloudTrustAdministration.SetAsync(
                Store(context), TenantOf(context), domain, body!.Value, now, context.RequestAborted).ConfigureAwait(false);
            return invalid is not null
                ? GraphJson.BadRequest(invalid)
                : GraphJson.Ok(json!, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).ConfigureAwait(false);
    }

    private static Task<IResult> DeleteCloudTrustAsync(HttpContext context, string domain) => WriteAsync(context, async () =>
    {
        await CloudTrustAdministration.DeleteAsync(Store(context), TenantOf(context), domain, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    });

    private static Task<IResult> RotateCloudTrustAsync(HttpContext context, string domain)
    {
        var force = context.Request.Query["force"];
        if (force.Count > 1 || (force.Count == 1 && !bool.TryParse(force[0], out _)))
        {
            return Task.FromResult(GraphJson.BadRequest("force: must be true or false"));
        }

        var forced = force.Count == 1 && bool.Parse(force[0]!);
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return WriteAsync(context, async () => GraphJson.Ok(await CloudTrustAdministration.RotateAsync(
            Store(context), TenantOf(context), domain, context.RequestServices.GetRequiredService<IKerberosRandom>(), now, forced, context.RequestAborted).ConfigureAwait(false)));
    }

    private static async Task<IResult> CloudTrustKeytabAsync(HttpContext context, string domain)
    {
        try
        {
            var trust = await CloudTrustAdministration.GetAsync(Store(context), TenantOf(context), domain, context.RequestAborted).ConfigureAwait(false);
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return Results.File(CloudTrustAdministration.BuildKeytab(trust, now), "application/octet-stream", CloudTrustAdministration.KeytabFileName(trust));
        }
        catch (AdminException e)
        {
            return AdminError(e);
        }
    }
}
