using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>
/// What the CLI commands need of a directory, written once for both modes: <see cref="OnlineBackend"/> calls a running
/// server's admin API, <see cref="OfflineBackend"/> works on a data directory's SQLite store through the same
/// <see cref="Admin.DirectoryAdministration"/> the API uses. Objects come back in the admin API's Graph JSON shapes;
/// writes take the same Graph-shaped bodies the API takes. Failures throw <see cref="CliException"/>.
/// </summary>
internal interface IAdminBackend : IAsyncDisposable
{
    /// <summary>Where the commands act, for messages: the server URL or the data directory.</summary>
    string Target { get; }

    Task<IReadOnlyList<JsonObject>> ListTenantsAsync(CancellationToken cancellationToken);

    Task<JsonObject> AddTenantAsync(JsonObject body, CancellationToken cancellationToken);

    Task<IReadOnlyList<JsonObject>> ListUsersAsync(CancellationToken cancellationToken);

    Task<JsonObject> AddUserAsync(JsonObject body, CancellationToken cancellationToken);

    /// <summary>Applies a PATCH body to the user named by id, UPN or on-premises sAMAccountName; returns the user afterwards.</summary>
    Task<JsonObject> UpdateUserAsync(string user, JsonObject patch, CancellationToken cancellationToken);

    Task<JsonObject> AddGroupAsync(JsonObject body, CancellationToken cancellationToken);

    /// <summary>Adds a user (id, UPN or sAMAccountName) to a group (id or display name).</summary>
    Task AddMemberAsync(string group, string user, CancellationToken cancellationToken);

    Task<JsonObject> AddServicePrincipalAsync(JsonObject body, CancellationToken cancellationToken);

    /// <summary>POST …/addPassword: the passwordCredential with its secretText.</summary>
    Task<JsonObject> AddPasswordAsync(string servicePrincipalId, CancellationToken cancellationToken);

    Task<JsonObject> AddStorageAccountAsync(JsonObject body, CancellationToken cancellationToken);

    /// <summary>The keytab (MIT format) of the service principal that owns <paramref name="spn"/>, for that SPN.</summary>
    Task<byte[]> ExportKeytabAsync(string spn, CancellationToken cancellationToken);

    Task<JsonObject> RotateKrbtgtAsync(CancellationToken cancellationToken);

    Task<string> Krb5ConfAsync(CancellationToken cancellationToken);

    Task<JsonObject> GpoAsync(CancellationToken cancellationToken);

    Task<string> GpoRegAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<JsonObject>> SignInsAsync(SignInFilter filter, CancellationToken cancellationToken);

    Task<IReadOnlyList<JsonObject>> ListDevicesAsync(CancellationToken cancellationToken);

    /// <summary>POST /devices: {displayName?, certificate, transportKey} (docs/token-path.md §2).</summary>
    Task<JsonObject> RegisterDeviceAsync(JsonObject body, CancellationToken cancellationToken);

    /// <summary>PATCH a device named by object id or deviceId; returns it afterwards.</summary>
    Task<JsonObject> UpdateDeviceAsync(string device, JsonObject patch, CancellationToken cancellationToken);

    Task DeleteDeviceAsync(string device, CancellationToken cancellationToken);
}

/// <summary>The sign-in log filters the CLI offers (the API's user, service, status and $top).</summary>
internal sealed record SignInFilter(string? User, string? Service, bool FailedOnly, int Top);

/// <summary>A failure to report on stderr with exit code <see cref="ExitCode"/> (1 by default, 2 for usage).</summary>
internal sealed class CliException(string message, int exitCode = CliExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

internal static class CliExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
