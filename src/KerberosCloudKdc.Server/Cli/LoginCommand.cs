using System.CommandLine;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Server.Login;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>
/// cloudkdc login: signs a user in through the token endpoint as an Entra-joined device would (or with the lab
/// password grant) and writes the cloud TGT, and the partial on-premises TGT when there is one, as MIT ccaches.
/// It talks to /{tenant}/oauth2/token, not to the admin API; the admin key is only used by --register.
/// </summary>
internal sealed class LoginCommand(TextWriter output, TextWriter error, TextReader input, LoginCommand.GlobalOptions globals)
{
    internal sealed record GlobalOptions(Option<string?> Url, Option<string?> Tenant, Option<string?> ApiKey, Option<string?> Ca, Option<bool> Json);

    private readonly Option<string> user = new("--user") { Description = "The user's UPN", Required = true };
    private readonly Option<bool> passwordStdin = new("--password-stdin") { Description = $"Read the password from the first line of stdin (else ${PasswordSource.Variable}, else a prompt)" };
    private readonly Option<string?> device = new("--device") { Description = "Device directory (keys, certificate, registration state; created when empty). Default: $XDG_CONFIG_HOME/cloudkdc/device" };
    private readonly Option<bool> register = new("--register") { Description = "Register the device through the admin API first, unless this server and tenant already have it (needs --api-key)" };
    private readonly Option<string?> ccache = new("--ccache") { Description = "Where to write the cloud TGT (default: KRB5CCNAME when it is a file, else /tmp/krb5cc_<uid>)" };
    private readonly Option<string?> adCcache = new("--ad-ccache") { Description = "Where to write the partial on-premises TGT (tgt_ad), if one comes (default: <ccache>.ad)" };
    private readonly Option<bool> passwordGrant = new("--password-grant") { Description = "Use the lab password grant (no device; the tenant must allow it) instead of the PRT flow" };
    private readonly Option<bool> showKeys = new("--show-keys") { Description = "With --json: include the session and client keys" };
    private readonly Option<bool> refresh = new("--refresh") { Description = $"No password: renew the PRT an earlier device login stored in the device directory ({PrtStore.FileName}) with a session-key-signed request" };

    public Command Build()
    {
        var command = new Command("login", "Sign a user in through the token endpoint (PRT flow with an emulated device) and write the TGTs as MIT ccaches")
        {
            user, passwordStdin, device, register, ccache, adCcache, passwordGrant, showKeys, refresh,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await RunAsync(parse, cancellationToken).ConfigureAwait(false);
                return CliExitCodes.Success;
            }
            catch (CliException e)
            {
                await error.WriteLineAsync("cloudkdc: " + e.Message).ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (Exception e) when (e is LoginException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync("cloudkdc: login: " + e.Message).ConfigureAwait(false);
                return CliExitCodes.Failure;
            }
        });
        return command;
    }

    private async Task RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = new CliOutput(output, error, parse.GetValue(globals.Json));
        var server = ServerUri(parse.GetValue(globals.Url) ?? CloudKdcCli.Variable(CloudKdcCli.UrlVariable));
        var username = parse.GetValue(user)!;
        var at = username.LastIndexOf('@');
        var tenant = parse.GetValue(globals.Tenant)
            ?? (at > 0 && at < username.Length - 1 ? username[(at + 1)..] : throw new CliException("--tenant is required when --user is not a UPN", CliExitCodes.Usage));
        var usePasswordGrant = parse.GetValue(passwordGrant);
        if (usePasswordGrant && parse.GetValue(register))
        {
            throw new CliException("--register needs the device flow; drop --password-grant", CliExitCodes.Usage);
        }

        var useRefresh = parse.GetValue(refresh);
        if (useRefresh && (usePasswordGrant || parse.GetValue(register) || parse.GetValue(passwordStdin)))
        {
            throw new CliException("--refresh renews a stored PRT: it takes no password and cannot be combined with --password-grant or --register", CliExitCodes.Usage);
        }

        var caFile = parse.GetValue(globals.Ca);
        if (caFile is not null && !File.Exists(caFile))
        {
            throw new CliException($"--ca: {caFile} does not exist", CliExitCodes.Usage);
        }

        if (useRefresh)
        {
            await RefreshAsync(parse, server, tenant, username, caFile, console, cancellationToken).ConfigureAwait(false);
            return;
        }

        var password = await PasswordSource.ReadAsync(parse.GetValue(passwordStdin), input, error, username, cancellationToken).ConfigureAwait(false);
        using var http = ServerTrust.CreateClient(caFile);
        DeviceIdentity? identity = null;
        try
        {
            if (!usePasswordGrant)
            {
                identity = await OpenDeviceAsync(parse, http, server, tenant, console, cancellationToken).ConfigureAwait(false);
            }

            var flow = new LoginFlow(new TokenEndpointClient(http, server), TimeProvider.System);
            var outcome = await flow.RunAsync(new LoginRequest { Tenant = tenant, Username = username, Password = password, Device = identity }, cancellationToken)
                .ConfigureAwait(false);
            await WriteAsync(parse, outcome, console, cancellationToken).ConfigureAwait(false);
            if (identity is not null)
            {
                await KeepPrtAsync(identity.Directory, server, tenant, username, outcome, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            identity?.Dispose();
        }
    }

    private async Task RefreshAsync(ParseResult parse, Uri server, string tenant, string username, string? caFile, CliOutput console, CancellationToken cancellationToken)
    {
        var directory = parse.GetValue(device) ?? DeviceIdentity.DefaultDirectory();
        var stored = await PrtStore.FindAsync(directory, server, tenant, username, cancellationToken).ConfigureAwait(false)
            ?? throw new LoginException($"no stored PRT for {username} at {server.GetLeftPart(UriPartial.Authority)} (tenant {tenant}) in {directory}; sign in with a password first");
        using var http = ServerTrust.CreateClient(caFile);
        var flow = new LoginFlow(new TokenEndpointClient(http, server), TimeProvider.System);
        var outcome = await flow.RefreshAsync(tenant, stored, cancellationToken).ConfigureAwait(false);
        await WriteAsync(parse, outcome, console, cancellationToken).ConfigureAwait(false);
        await KeepPrtAsync(directory, server, tenant, username, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a device login (password or refresh), the PRT and its session key for the next --refresh.</summary>
    private static async Task KeepPrtAsync(string directory, Uri server, string tenant, string username, LoginOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.SessionKey is { } sessionKey && outcome.Response["refresh_token"] is JsonValue value && value.TryGetValue<string>(out var prt) && prt.Length > 0)
        {
            await PrtStore.SaveAsync(directory, server, tenant, username, new StoredPrt(prt, sessionKey), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DeviceIdentity> OpenDeviceAsync(ParseResult parse, HttpClient http, Uri server, string tenant, CliOutput console, CancellationToken cancellationToken)
    {
        var directory = parse.GetValue(device) ?? DeviceIdentity.DefaultDirectory();
        var (identity, created) = await DeviceIdentity.LoadOrCreateAsync(directory, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            console.Note($"Created device {identity.DeviceId} in {directory}");
        }

        if (parse.GetValue(register))
        {
            var key = parse.GetValue(globals.ApiKey) ?? CloudKdcCli.Variable(CloudKdcCli.ApiKeyVariable);
            if (key is null)
            {
                identity.Dispose();
                throw new CliException($"--register needs --api-key (or ${CloudKdcCli.ApiKeyVariable})", CliExitCodes.Usage);
            }

            try
            {
                if (await new DeviceRegistrar(http, server).EnsureRegisteredAsync(identity, tenant, key, cancellationToken).ConfigureAwait(false))
                {
                    console.Note($"Registered device {identity.DeviceId} in tenant {tenant}");
                }
            }
            catch
            {
                identity.Dispose();
                throw;
            }
        }

        return identity;
    }

    private async Task WriteAsync(ParseResult parse, LoginOutcome outcome, CliOutput console, CancellationToken cancellationToken)
    {
        var cloudPath = FilePath(parse.GetValue(ccache))
            ?? CcacheLocation.Default(Environment.GetEnvironmentVariable("KRB5CCNAME"), await CcacheLocation.CurrentUidAsync(cancellationToken).ConfigureAwait(false));
        var cloud = outcome.Cloud.Ticket!;
        await cloud.ToCache().WriteAsync(cloudPath, cancellationToken).ConfigureAwait(false);
        string? adPath = null;
        if (outcome.OnPremises?.Ticket is { } ad)
        {
            adPath = FilePath(parse.GetValue(adCcache)) ?? cloudPath + ".ad";
            await ad.ToCache().WriteAsync(adPath, cancellationToken).ConfigureAwait(false);
        }

        if (console.Json)
        {
            console.WriteJson(LoginReport.Build(outcome, cloudPath, adPath, parse.GetValue(showKeys)));
            return;
        }

        await output.WriteLineAsync($"Cloud TGT for {cloud.Client}@{cloud.ClientRealm}: {cloud.Part.ServerName}@{cloud.Part.ServerRealm}").ConfigureAwait(false);
        await output.WriteLineAsync($"  valid until {cloud.Part.EndTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, written to {cloudPath}").ConfigureAwait(false);
        switch (outcome.OnPremises)
        {
            case null:
                await output.WriteLineAsync("On-premises TGT (tgt_ad): none in the response (no cloud trust for this user's domain)").ConfigureAwait(false);
                break;
            case { Ticket: { } partial }:
                await output.WriteLineAsync($"On-premises partial TGT for {partial.Client}@{partial.ClientRealm}: {partial.Part.ServerName}@{partial.Part.ServerRealm}, written to {adPath}")
                    .ConfigureAwait(false);
                break;
            case { Error: var reason }:
                await output.WriteLineAsync($"On-premises TGT (tgt_ad): not issued: {reason}").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>A cache name given on the command line: FILE:path or a path; other cache types cannot be written here.</summary>
    private static string? FilePath(string? name) => name switch
    {
        null => null,
        _ when name.StartsWith("FILE:", StringComparison.Ordinal) => name[5..],
        _ when name.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(name) =>
            throw new CliException($"'{name}': only file caches (FILE:path or a path) can be written", CliExitCodes.Usage),
        _ => name,
    };

    private static Uri ServerUri(string? url)
    {
        if (url is null)
        {
            throw new CliException($"--url (or ${CloudKdcCli.UrlVariable}) is required: the server whose token endpoint to use", CliExitCodes.Usage);
        }

        return Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new CliException($"--url: '{url}' is not an http(s) URL", CliExitCodes.Usage);
    }
}
