using System.Text;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Server.Admin;
using KerberosCloudKdc.Server.Tls;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>Where the directory came from, for the banner.</summary>
public sealed record SeedSource(bool IsDemo, string Description);

/// <summary>
/// Once the server listens, prints (to the console, not only the log) a ready krb5.conf, the CA path and,
/// for the embedded demo, the demo credentials — this is a lab tool and says so.
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime, IOptions<CloudKdcOptions> options, PublicOrigin publicOrigin, LabTls tls,
    IDirectoryStore store, SeedSource seedSource, AdminApiKey adminApiKey) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.PrintBanner)
        {
            return;
        }

        // Seeding is an earlier hosted service, so the default tenant is in the store by now.
        var tenant = await store.GetDefaultTenantAsync(cancellationToken).ConfigureAwait(false);
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Render(tenant)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal string Render(Tenant? tenant)
    {
        var origin = publicOrigin.FromServer() ?? CloudKdcOptions.DefaultUrls;
        var tenantId = tenant?.Id.ToString("D") ?? "<tenant-guid>";
        var kdcUrl = tenant is null ? $"{origin}/{tenantId}/kerberos" : ClientConfig.KdcUrl(origin, tenant.Id);
        var caPath = tls.Current?.CaCertificatePath;
        var settings = options.Value;
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("==============================================================================");
        text.AppendLine(" CloudKdc — Entra Kerberos emulator. LAB TOOL: not a security boundary.");
        text.AppendLine("==============================================================================");
        text.AppendLine($" Tenant:     {tenant?.DisplayName} ({tenantId}) from {seedSource.Description}");
        text.AppendLine($" KKDCP:      {kdcUrl}   (also {origin}/KdcProxy)");
        text.AppendLine($" Discovery:  {origin}/{tenantId}/v2.0/.well-known/openid-configuration");
        text.AppendLine($" Token:      {origin}/{tenantId}/oauth2/token   (PRT with tgt_cloud/tgt_ad; docs/token-path.md)");
        text.AppendLine(caPath is null
            ? " TLS:        certificate from Kestrel configuration"
            : $" Lab CA:     {caPath}");
        text.AppendLine($" Admin API:  {origin}/{tenantId}/v1.0/users   (Authorization: Bearer <key>)");
        text.AppendLine(adminApiKey.GeneratedNow
            ? $" Admin key:  {adminApiKey.Value}   (generated now, shown once; kept in {adminApiKey.Source})"
            : $" Admin key:  from {adminApiKey.Source}");
        if (settings.TcpPort is { } tcp)
        {
            text.AppendLine($" Raw TCP:    {settings.KdcListenAddress}:{tcp}");
        }

        if (settings.UdpPort is { } udp)
        {
            text.AppendLine($" Raw UDP:    {settings.KdcListenAddress}:{udp}");
        }

        text.AppendLine();
        text.AppendLine(" krb5.conf (MIT; needs the krb5-k5tls plugin for https KDCs):");
        text.AppendLine();
        text.Append(ClientConfig.Krb5Conf(kdcUrl, caPath));
        text.AppendLine();
        if (seedSource.IsDemo)
        {
            text.AppendLine(" Demo credentials (public on purpose):");
            text.AppendLine($"    {DemoSeed.AliceUpn,-20} {DemoSeed.AlicePassword,-28} hybrid, groups");
            text.AppendLine($"    {DemoSeed.BobUpn,-20} {DemoSeed.BobPassword,-28} hybrid");
            text.AppendLine($"    {DemoSeed.CarolUpn,-20} {DemoSeed.CarolPassword,-28} cloud-only");
            text.AppendLine($"    storage account {DemoSeed.StorageAccountName}: password {DemoSeed.StorageAccountPassword}");
            text.AppendLine();
            text.AppendLine($"    KRB5_CONFIG=./krb5.conf kinit -E {DemoSeed.AliceUpn}");
            text.AppendLine($"    KRB5_CONFIG=./krb5.conf kvno cifs/{DemoSeed.StorageAccountName}{SeedLoader.FileEndpointSuffix}");
            text.AppendLine();
            text.AppendLine("    or the Entra way (device + PRT, no kinit), then the same kvno:");
            text.AppendLine(caPath is null
                ? $"    cloudkdc login --url {origin} --user {DemoSeed.AliceUpn} --register --api-key <key>"
                : $"    cloudkdc login --url {origin} --ca {caPath} --user {DemoSeed.AliceUpn} --register --api-key <key>");
            text.AppendLine();
        }

        return text.ToString();
    }
}
