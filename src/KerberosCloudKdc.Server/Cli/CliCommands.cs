using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Server.Hosting;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>The command tree. Each command is written once against <see cref="IAdminBackend"/>; the global options pick the backend.</summary>
internal sealed partial class CliCommands(TextWriter output, TextWriter error, TextReader? input = null)
{
    private readonly Option<string?> tenant = Global<string?>("--tenant", "Tenant GUID or verified domain (default: the default tenant)");
    private readonly Option<string?> url = Global<string?>("--url", $"Work online against this server's admin API (or ${CloudKdcCli.UrlVariable})");
    private readonly Option<string?> apiKey = Global<string?>("--api-key", $"Admin API key (or ${CloudKdcCli.ApiKeyVariable}; default: <data-dir>/admin-api-key)");
    private readonly Option<string?> dataDirectory = Global<string?>("--data-dir", "Work offline on this data directory's store (default: the server's data directory)");
    private readonly Option<string?> ca = Global<string?>("--ca", "Online: PEM CA that signs the server certificate (default: <data-dir>/tls/lab-ca.pem when present)");
    private readonly Option<string?> origin = Global<string?>("--origin", "Offline: the server's public https origin for krb5conf and gpo (default: CloudKdc:PublicOrigin or https://127.0.0.1:8443)");
    private readonly Option<bool> json = new("--json") { Description = "Machine-readable JSON output", Recursive = true };

    public RootCommand Build()
    {
        var root = new RootCommand(
            "cloudkdc: an emulator of Microsoft Entra Kerberos. Without a command (or with host arguments such as --urls) it runs the server.")
        {
            tenant, url, apiKey, dataDirectory, ca, origin, json,
        };
        var serve = new Command("serve", "Run the server (the default when no command is given); host arguments follow, e.g. --urls https://0.0.0.0:443");
        serve.TreatUnmatchedTokensAsErrors = false;
        root.Add(serve);
        root.Add(TenantCommand());
        root.Add(UserCommand());
        root.Add(GroupCommand());
        root.Add(ServicePrincipalCommand());
        root.Add(StorageAccountCommand());
        root.Add(KeytabCommand());
        root.Add(Krb5ConfCommand());
        root.Add(GpoCommand());
        root.Add(KrbtgtCommand());
        root.Add(SignInsCommand());
        root.Add(CloudTrustCommand());
        root.Add(DeviceCommand());
        root.Add(new LoginCommand(output, error, input ?? TextReader.Null, new LoginCommand.GlobalOptions(url, tenant, apiKey, ca, json)).Build());
        return root;
    }

    private static Option<T> Global<T>(string name, string description) => new(name) { Description = description, Recursive = true };

    private static Option<T> Local<T>(string name, string description, bool required = false) => new(name) { Description = description, Required = required };

    private static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    /// <summary>Runs a command body with the backend the global options choose; failures become stderr messages and exit codes.</summary>
    private void Run(Command command, Func<ParseResult, IAdminBackend, CliOutput, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliOutput(output, error, parse.GetValue(json));
            try
            {
                await using var backend = await OpenAsync(parse, cancellationToken).ConfigureAwait(false);
                await body(parse, backend, console, cancellationToken).ConfigureAwait(false);
                return CliExitCodes.Success;
            }
            catch (CliException e)
            {
                await error.WriteLineAsync("cloudkdc: " + e.Message).ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (IOException e)
            {
                await error.WriteLineAsync("cloudkdc: " + e.Message).ConfigureAwait(false);
                return CliExitCodes.Failure;
            }
            catch (UnauthorizedAccessException e)
            {
                await error.WriteLineAsync("cloudkdc: " + e.Message).ConfigureAwait(false);
                return CliExitCodes.Failure;
            }
        });
    }

    private async Task<IAdminBackend> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var dataDir = parse.GetValue(dataDirectory);
        var resolvedDataDir = dataDir ?? CloudKdcCli.DefaultDataDirectory();
        // An explicit --url always means online (--data-dir then only locates the key and the CA); CLOUDKDC_URL does
        // unless --data-dir is given, so one command can work offline without unsetting the variable.
        var server = parse.GetValue(url) ?? (dataDir is null ? CloudKdcCli.Variable(CloudKdcCli.UrlVariable) : null);
        if (server is not null)
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("https" or "http"))
            {
                throw new CliException($"--url: '{server}' is not an http(s) URL", CliExitCodes.Usage);
            }

            var key = parse.GetValue(apiKey) ?? CloudKdcCli.Variable(CloudKdcCli.ApiKeyVariable) ?? CloudKdcCli.ApiKeyFile(resolvedDataDir)
                ?? throw new CliException($"--api-key (or ${CloudKdcCli.ApiKeyVariable}) is required with --url", CliExitCodes.Usage);
            var caFile = parse.GetValue(ca) ?? CloudKdcCli.LabCaFile(resolvedDataDir);
            if (caFile is not null && !File.Exists(caFile))
            {
                throw new CliException($"--ca: {caFile} does not exist", CliExitCodes.Usage);
            }

            return new OnlineBackend(serverUri, key, parse.GetValue(tenant), caFile);
        }

        var originText = parse.GetValue(origin) ?? CloudKdcCli.Variable(CloudKdcApp.EnvironmentPrefix + "PublicOrigin") ?? CloudKdcOptions.DefaultUrls;
        if (!Uri.TryCreate(originText.TrimEnd('/'), UriKind.Absolute, out var originUri))
        {
            throw new CliException($"--origin: '{originText}' is not an absolute URL", CliExitCodes.Usage);
        }

        return await OfflineBackend.OpenAsync(resolvedDataDir, parse.GetValue(tenant), originUri, cancellationToken).ConfigureAwait(false);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    // ---- tenant ----

    private Command TenantCommand()
    {
        var command = new Command("tenant", "Tenants of the store");

        var add = new Command("add", "Add a tenant (its krbtgt key is generated); the first tenant becomes the default");
        var name = Arg("NAME", "Display name");
        var domains = Local<string[]>("--domain", "Verified domain (repeatable; at least one)", required: true);
        domains.AllowMultipleArgumentsPerToken = false;
        var id = Local<string?>("--id", "Tenant GUID (default: a new one)");
        var makeDefault = Local<bool>("--default", "Make it the default tenant");
        var onPremDomain = Local<string?>("--onprem-domain", "Hybrid: the synced AD domain's DNS name");
        var netBios = Local<string?>("--netbios", "Hybrid: the AD domain's NetBIOS name (default: first label of --onprem-domain)");
        var domainSid = Local<string?>("--domain-sid", "Hybrid: the AD domain SID (S-1-5-21-…)");
        add.Add(name);
        add.Add(domains);
        add.Add(id);
        add.Add(makeDefault);
        add.Add(onPremDomain);
        add.Add(netBios);
        add.Add(domainSid);
        Run(add, async (parse, backend, console, ct) =>
        {
            var body = new JsonObject { ["displayName"] = parse.GetValue(name), ["verifiedDomains"] = Strings(parse.GetValue(domains) ?? []) };
            if (parse.GetValue(id) is { } tenantId)
            {
                body["id"] = tenantId;
            }

            if (parse.GetValue(makeDefault))
            {
                body["isDefault"] = true;
            }

            if (parse.GetValue(onPremDomain) is { } dns)
            {
                body["onPremisesDomainName"] = dns;
            }

            if (parse.GetValue(netBios) is { } nb)
            {
                body["onPremisesNetBiosName"] = nb;
            }

            if (parse.GetValue(domainSid) is { } sid)
            {
                body["onPremisesDomainSid"] = sid;
            }

            var created = await backend.AddTenantAsync(body, ct).ConfigureAwait(false);
            console.Note($"Added tenant {created["id"]} on {backend.Target}.");
            console.Record(created, ("Id", "id"), ("Name", "displayName"), ("Domains", "verifiedDomains"), ("Default", "isDefault"), ("AD domain", "onPremisesDomainName"));
        });
        command.Add(add);

        var list = new Command("list", "List the tenants");
        Run(list, async (_, backend, console, ct) => console.Table(
            await backend.ListTenantsAsync(ct).ConfigureAwait(false),
            ("ID", "id"), ("NAME", "displayName"), ("DOMAINS", "verifiedDomains"), ("DEFAULT", "isDefault"), ("AD DOMAIN", "onPremisesDomainName")));
        command.Add(list);
        return command;
    }

    // ---- user ----

    private static readonly (string, string)[] UserColumns =
    [
        ("ID", "id"), ("UPN", "userPrincipalName"), ("NAME", "displayName"), ("ENABLED", "accountEnabled"), ("SAM", "onPremisesSamAccountName"),
        ("ON-PREM SID", "onPremisesSecurityIdentifier"),
    ];

    private static readonly (string, string)[] UserFields =
    [
        ("Id", "id"), ("UPN", "userPrincipalName"), ("Name", "displayName"), ("Enabled", "accountEnabled"), ("Hybrid", "onPremisesSyncEnabled"),
        ("SAM", "onPremisesSamAccountName"), ("On-prem SID", "onPremisesSecurityIdentifier"), ("AD domain", "onPremisesDomainName"),
    ];

    private Command UserCommand()
    {
        var command = new Command("user", "Users");

        var add = new Command("add", "Add a user; with --sam/--sid it is a synced (hybrid) user, the kind Entra Kerberos serves");
        var upn = Arg("UPN", "user@verified-domain");
        var password = Local<string?>("--password", "Password (default: a generated one, shown once)");
        var displayName = Local<string?>("--display-name", "Display name (default: the UPN)");
        var disabled = Local<bool>("--disabled", "Create the account disabled");
        var sam = Local<string?>("--sam", "Hybrid: on-premises sAMAccountName");
        var sid = Local<string?>("--sid", "Hybrid: on-premises SID (S-1-5-21-…)");
        var onPremDomain = Local<string?>("--onprem-domain", "Hybrid: on-premises DNS domain (default: the tenant's)");
        add.Add(upn);
        add.Add(password);
        add.Add(displayName);
        add.Add(disabled);
        add.Add(sam);
        add.Add(sid);
        add.Add(onPremDomain);
        Run(add, async (parse, backend, console, ct) =>
        {
            var generated = parse.GetValue(password) is null ? CloudKdcCli.NewPassword() : null;
            var body = new JsonObject
            {
                ["userPrincipalName"] = parse.GetValue(upn),
                ["passwordProfile"] = new JsonObject { ["password"] = parse.GetValue(password) ?? generated },
            };
            if (parse.GetValue(displayName) is { } name)
            {
                body["displayName"] = name;
            }

            if (parse.GetValue(disabled))
            {
                body["accountEnabled"] = false;
            }

            if (parse.GetValue(sam) is not null || parse.GetValue(sid) is not null || parse.GetValue(onPremDomain) is not null)
            {
                body["onPremisesSyncEnabled"] = true;
                body["onPremisesSamAccountName"] = parse.GetValue(sam);
                body["onPremisesSecurityIdentifier"] = parse.GetValue(sid);
                body["onPremisesDomainName"] = parse.GetValue(onPremDomain);
            }

            var created = await backend.AddUserAsync(body, ct).ConfigureAwait(false);
            WriteUser(console, created, $"Added user {created["userPrincipalName"]} on {backend.Target}.", generated);
        });
        command.Add(add);

        var list = new Command("list", "List the users");
        Run(list, async (_, backend, console, ct) => console.Table(await backend.ListUsersAsync(ct).ConfigureAwait(false), UserColumns));
        command.Add(list);

        foreach (var (verb, enabled) in new[] { ("disable", false), ("enable", true) })
        {
            var toggle = new Command(verb, $"{(enabled ? "Enable" : "Disable")} a user's sign-in");
            var user = Arg("USER", "UPN, sAMAccountName or object id");
            toggle.Add(user);
            Run(toggle, async (parse, backend, console, ct) =>
            {
                var updated = await backend.UpdateUserAsync(parse.GetValue(user)!, new JsonObject { ["accountEnabled"] = enabled }, ct).ConfigureAwait(false);
                WriteUser(console, updated, $"{(enabled ? "Enabled" : "Disabled")} user {updated["userPrincipalName"]}.", null);
            });
            command.Add(toggle);
        }

        var setPassword = new Command("set-password", "Set a user's password (new keys at the next kvno)");
        var target = Arg("USER", "UPN, sAMAccountName or object id");
        var newPassword = Local<string?>("--password", "The new password (default: a generated one, shown once)");
        setPassword.Add(target);
        setPassword.Add(newPassword);
        Run(setPassword, async (parse, backend, console, ct) =>
        {
            var generated = parse.GetValue(newPassword) is null ? CloudKdcCli.NewPassword() : null;
            var patch = new JsonObject { ["passwordProfile"] = new JsonObject { ["password"] = parse.GetValue(newPassword) ?? generated } };
            var updated = await backend.UpdateUserAsync(parse.GetValue(target)!, patch, ct).ConfigureAwait(false);
            WriteUser(console, updated, $"Set the password of {updated["userPrincipalName"]}.", generated);
        });
        command.Add(setPassword);
        return command;
    }

    private static void WriteUser(CliOutput console, JsonObject user, string note, string? generatedPassword)
    {
        if (console.Json)
        {
            var copy = (JsonObject)user.DeepClone();
            if (generatedPassword is not null)
            {
                copy["generatedPassword"] = generatedPassword;
            }

            console.WriteJson(copy);
            return;
        }

        console.Note(note);
        console.Record(user, UserFields);
        if (generatedPassword is not null)
        {
            console.Out.WriteLine($"Password:    {generatedPassword}");
            console.Out.WriteLine("             (generated; shown this once and never stored: note it now)");
        }
    }

    // ---- group ----

    private Command GroupCommand()
    {
        var command = new Command("group", "Security groups");
        var add = new Command("add", "Add a security group");
        var name = Arg("NAME", "Display name");
        var sid = Local<string?>("--sid", "On-premises SID of a synced group");
        add.Add(name);
        add.Add(sid);
        Run(add, async (parse, backend, console, ct) =>
        {
            var body = new JsonObject { ["displayName"] = parse.GetValue(name) };
            if (parse.GetValue(sid) is { } onPremSid)
            {
                body["onPremisesSecurityIdentifier"] = onPremSid;
            }

            var created = await backend.AddGroupAsync(body, ct).ConfigureAwait(false);
            console.Note($"Added group {created["displayName"]} on {backend.Target}.");
            console.Record(created, ("Id", "id"), ("Name", "displayName"), ("Cloud SID", "securityIdentifier"), ("On-prem SID", "onPremisesSecurityIdentifier"));
        });
        command.Add(add);

        var addMember = new Command("add-member", "Add a user to a group");
        var group = Arg("GROUP", "Group display name or object id");
        var user = Arg("USER", "UPN, sAMAccountName or object id");
        addMember.Add(group);
        addMember.Add(user);
        Run(addMember, async (parse, backend, console, ct) =>
        {
            await backend.AddMemberAsync(parse.GetValue(group)!, parse.GetValue(user)!, ct).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(new JsonObject { ["group"] = parse.GetValue(group), ["member"] = parse.GetValue(user), ["added"] = true });
            }
            else
            {
                console.Out.WriteLine($"Added {parse.GetValue(user)} to {parse.GetValue(group)}.");
            }
        });
        command.Add(addMember);
        return command;
    }

    // ---- service principals and storage accounts ----

    private static readonly (string, string)[] ServicePrincipalFields =
        [("Id", "id"), ("Name", "displayName"), ("SPNs", "servicePrincipalNames"), ("Tags", "tags"), ("Enabled", "accountEnabled")];

    private Command ServicePrincipalCommand()
    {
        var command = new Command("sp", "Service principals");
        var add = new Command("add", "Add a service principal and (unless --no-secret) a generated secret for its Kerberos keys");
        var name = Arg("NAME", "Display name");
        var spns = Local<string[]>("--spn", "SPN (repeatable), e.g. HTTP/web.contoso.com", required: true);
        var tags = Local<string[]>("--tag", "Tag (repeatable), e.g. kdc_enable_cloud_group_sids");
        var noSecret = Local<bool>("--no-secret", "Register without keys (add a secret later through the API)");
        add.Add(name);
        add.Add(spns);
        add.Add(tags);
        add.Add(noSecret);
        Run(add, async (parse, backend, console, ct) =>
        {
            var body = new JsonObject { ["displayName"] = parse.GetValue(name), ["servicePrincipalNames"] = Strings(parse.GetValue(spns) ?? []) };
            if (parse.GetValue(tags) is { Length: > 0 } tagValues)
            {
                body["tags"] = Strings(tagValues);
            }

            var created = await backend.AddServicePrincipalAsync(body, ct).ConfigureAwait(false);
            JsonObject? credential = null;
            if (!parse.GetValue(noSecret))
            {
                credential = await backend.AddPasswordAsync(CliLookup.Text(created, "id")!, ct).ConfigureAwait(false);
            }

            if (console.Json)
            {
                var copy = (JsonObject)created.DeepClone();
                copy["passwordCredential"] = credential?.DeepClone();
                console.WriteJson(copy);
                return;
            }

            console.Note($"Added service principal {created["displayName"]} on {backend.Target}.");
            console.Record(created, ServicePrincipalFields);
            if (credential is not null)
            {
                console.Out.WriteLine($"Secret:  {CliLookup.Text(credential, "secretText")}");
                console.Out.WriteLine($"         (generated; shown this once, expires {CliLookup.Text(credential, "endDateTime")}: note it now or export a keytab)");
            }
        });
        command.Add(add);
        return command;
    }

    private Command StorageAccountCommand()
    {
        var command = new Command("storage-account", "Azure Files storage accounts (service principals with the six SPNs)");
        var add = new Command("add", "Register a storage account for Entra Kerberos");
        var name = Arg("NAME", "Account name (3-24 lowercase letters and digits)");
        var password = Local<string?>("--password", "Kerberos password or kk:<base64 key> (default: a generated one, shown once)");
        var privateLink = Local<bool>("--private-link", "Also register the privatelink SPNs");
        var tags = Local<string[]>("--tag", "Tag (repeatable), e.g. kdc_enable_cloud_group_sids");
        add.Add(name);
        add.Add(password);
        add.Add(privateLink);
        add.Add(tags);
        Run(add, async (parse, backend, console, ct) =>
        {
            var body = new JsonObject { ["name"] = parse.GetValue(name) };
            if (parse.GetValue(password) is { } secret)
            {
                body["password"] = secret;
            }

            if (parse.GetValue(privateLink))
            {
                body["privateLink"] = true;
            }

            if (parse.GetValue(tags) is { Length: > 0 } tagValues)
            {
                body["tags"] = Strings(tagValues);
            }

            var created = await backend.AddStorageAccountAsync(body, ct).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(created);
                return;
            }

            console.Note($"Registered storage account {parse.GetValue(name)} on {backend.Target}.");
            console.Record(created, ServicePrincipalFields);
            if (CliLookup.Text(created, "password") is { } generated)
            {
                console.Out.WriteLine($"Password: {generated}");
                console.Out.WriteLine("          (generated; shown this once: note it now or export a keytab)");
            }
        });
        command.Add(add);
        return command;
    }

    private Command KeytabCommand()
    {
        var command = new Command("keytab", "Keytabs");
        var export = new Command("export", "Write the keys of an SPN to a keytab file (MIT format; it holds secrets: keep it private)");
        var spn = Local<string>("--spn", "The SPN, e.g. cifs/account.file.core.windows.net", required: true);
        var file = Local<string>("--out", "Keytab file to write (replaced when it exists)", required: true);
        export.Add(spn);
        export.Add(file);
        Run(export, async (parse, backend, console, ct) =>
        {
            var bytes = await backend.ExportKeytabAsync(parse.GetValue(spn)!, ct).ConfigureAwait(false);
            var path = Path.GetFullPath(parse.GetValue(file)!);
            await KeytabFile.Parse(bytes).WriteAsync(path, ct).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(new JsonObject { ["spn"] = parse.GetValue(spn), ["file"] = path, ["bytes"] = bytes.Length });
            }
            else
            {
                console.Out.WriteLine($"Wrote the keys of {parse.GetValue(spn)} to {path} ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes, owner-only).");
            }
        });
        command.Add(export);
        return command;
    }

    // ---- client configuration ----

    private Command Krb5ConfCommand()
    {
        var command = new Command("krb5conf", "Print (or write) the krb5.conf for MIT clients of the tenant");
        var file = Local<string?>("--out", "Write it to this file instead");
        command.Add(file);
        Run(command, async (parse, backend, console, ct) =>
        {
            var text = await backend.Krb5ConfAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(file) is { } path)
            {
                DataDirectory.WriteFile(Path.GetFullPath(path), text, secret: false);
                WriteSaved(console, "krb5.conf", path);
            }
            else if (console.Json)
            {
                console.WriteJson(new JsonObject { ["krb5conf"] = text });
            }
            else
            {
                console.Out.Write(text);
            }
        });
        return command;
    }

    private Command GpoCommand()
    {
        var command = new Command("gpo", "The Windows policy (GPO) values for the tenant; --reg writes them as a .reg file");
        var reg = Local<string?>("--reg", "Write a .reg file (regedit) with the same values");
        command.Add(reg);
        Run(command, async (parse, backend, console, ct) =>
        {
            if (parse.GetValue(reg) is { } path)
            {
                var text = await backend.GpoRegAsync(ct).ConfigureAwait(false);
                DataDirectory.WriteFile(Path.GetFullPath(path), text, secret: false);
                WriteSaved(console, ".reg file", path);
                return;
            }

            var gpo = await backend.GpoAsync(ct).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(gpo);
                return;
            }

            console.Out.WriteLine($"Realm: {gpo["realm"]}");
            foreach (var section in GpoSections)
            {
                if (gpo[section] is not JsonObject values)
                {
                    continue;
                }

                console.Out.WriteLine();
                if (CliLookup.Text(values, "policy") is { } policy)
                {
                    console.Out.WriteLine($"Policy: {policy}");
                }

                console.Out.WriteLine($"  [{CliLookup.Text(values, "registryKey")}]");
                console.Out.WriteLine($"  {CliLookup.Text(values, "valueName")} = {CliLookup.Text(values, "value")}");
            }
        });
        return command;
    }

    private static readonly string[] GpoSections = ["kdcProxyServers", "hostToRealm", "cloudKerberosTicketRetrievalEnabled"];

    private static void WriteSaved(CliOutput console, string what, string path)
    {
        if (console.Json)
        {
            console.WriteJson(new JsonObject { ["file"] = Path.GetFullPath(path) });
        }
        else
        {
            console.Out.WriteLine($"Wrote the {what} to {Path.GetFullPath(path)}.");
        }
    }

    // ---- krbtgt and sign-ins ----

    private Command KrbtgtCommand()
    {
        var command = new Command("krbtgt", "The tenant's cloud krbtgt key");
        var rotate = new Command("rotate", "Add a new krbtgt key (kvno + 1); older keys keep opening the tickets they issued");
        Run(rotate, async (_, backend, console, ct) =>
        {
            var rotated = await backend.RotateKrbtgtAsync(ct).ConfigureAwait(false);
            console.Note($"Rotated the krbtgt key on {backend.Target}.");
            console.Record(rotated, ("New kvno", "kvno"), ("Key versions", "keyVersions"));
        });
        command.Add(rotate);
        return command;
    }

    private Command SignInsCommand()
    {
        var command = new Command("signins", "The sign-in log (AS and TGS exchanges), newest first");
        var user = Local<string?>("--user", "Only this client (UPN)");
        var service = Local<string?>("--service", "Only this service (SPN)");
        var failed = Local<bool>("--failed", "Only failures");
        var top = Local<int>("--top", "At most this many events (1-1000)");
        top.DefaultValueFactory = _ => 50;
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                result.AddError("--top must be from 1 to 1000");
            }
        });
        command.Add(user);
        command.Add(service);
        command.Add(failed);
        command.Add(top);
        Run(command, async (parse, backend, console, ct) =>
        {
            var events = await backend.SignInsAsync(
                new SignInFilter(parse.GetValue(user), parse.GetValue(service), parse.GetValue(failed), parse.GetValue(top)), ct).ConfigureAwait(false);
            console.Table(
                events,
                ("TIME", "createdDateTime"), ("KIND", "kind"), ("USER", "userPrincipalName"), ("SERVICE", "servicePrincipalName"),
                ("ERROR", "status.errorCode"), ("REASON", "status.failureReason"), ("ADDRESS", "ipAddress"));
        });
        return command;
    }
}
