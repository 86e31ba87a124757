using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>
/// The cloud Kerberos trust part of <see cref="IAdminBackend"/> (admin API /{tenant}/v1.0/kerberosServers).
/// Objects are the API's Get-AzureADKerberosServer JSON; failures throw <see cref="CliException"/>.
/// </summary>
internal interface ICloudTrustBackend
{
    Task<IReadOnlyList<JsonObject>> ListCloudTrustsAsync(CancellationToken cancellationToken);

    Task<JsonObject> GetCloudTrustAsync(string domain, CancellationToken cancellationToken);

    /// <summary>PUT: creates or replaces the trust from a body {rodcNumber, password | key, keyVersion?, allowedGroups?, deniedGroups?}.</summary>
    Task<JsonObject> SetCloudTrustAsync(string domain, JsonObject body, CancellationToken cancellationToken);

    Task<JsonObject> RotateCloudTrustAsync(string domain, bool force, CancellationToken cancellationToken);

    /// <summary>The MIT keytab of krbtgt/REALM and krbtgt_N under the RODC kvno.</summary>
    Task<byte[]> ExportCloudTrustKeytabAsync(string domain, CancellationToken cancellationToken);

    Task RemoveCloudTrustAsync(string domain, CancellationToken cancellationToken);
}
