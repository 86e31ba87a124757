using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Protocol.Files;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>cloudkdc cloudtrust set|show|rotate|export|remove: the cloud Kerberos trust (docs/token-path.md §3).</summary>
internal sealed partial class CliCommands
{
    private static readonly (string, string)[] CloudTrustColumns =
        [("Domain", "DomainDnsName"), ("RODC", "Id"), ("KeyVersion", "KeyVersion"), ("Ticket kvno", "TicketKvno"), ("Updated", "KeyUpdatedOn")];

    private static readonly (string, string)[] CloudTrustFields =
    [
        ("Domain", "DomainDnsName"), ("Id (RODC number)", "Id"), ("ComputerAccount", "ComputerAccount"), ("UserAccount", "UserAccount"),
        ("KeyVersion", "KeyVersion"), ("KeyUpdatedOn", "KeyUpdatedOn"), ("Key versions kept", "KeyVersions"), ("Ticket kvno", "TicketKvno"),
        ("Allowed groups", "AllowedGroups"), ("Denied groups", "DeniedGroups"),
    ];

    private Command CloudTrustCommand()
    {
        var command = new Command("cloudtrust", "Cloud Kerberos trust: partial TGTs (tgt_ad) for an on-premises AD domain");
        command.Add(CloudTrustSetCommand());

        var show = new Command("show", "Show the cloud trusts (Get-AzureADKerberosServer); never shows keys");
        var showDomain = Local<string?>("--domain", "Only this AD domain");
        show.Add(showDomain);
        Run(show, async (parse, backend, console, ct) =>
        {
            if (parse.GetValue(showDomain) is { } domain)
            {
                console.Record(await backend.GetCloudTrustAsync(domain, ct).ConfigureAwait(false), CloudTrustFields);
            }
            else
            {
                console.Table(await backend.ListCloudTrustsAsync(ct).ConfigureAwait(false), CloudTrustColumns);
            }
        });
        command.Add(show);

        var rotate = new Command("rotate", "New random krbtgt_AzureAD key (KeyVersion + 1), keeping the previous one; once per 24 h unless --force");
        var rotateDomain = Local<string>("--domain", "The AD domain", required: true);
        var force = Local<bool>("--force", "Rotate even if the key changed less than 24 hours ago");
        rotate.Add(rotateDomain);
        rotate.Add(force);
        Run(rotate, async (parse, backend, console, ct) =>
        {
            var rotated = await backend.RotateCloudTrustAsync(parse.GetValue(rotateDomain)!, parse.GetValue(force), ct).ConfigureAwait(false);
            console.Note($"Rotated the krbtgt_AzureAD key of {parse.GetValue(rotateDomain)} on {backend.Target}; load the new keytab on the lab DC.");
            console.Record(rotated, CloudTrustFields);
        });
        command.Add(rotate);

        var export = new Command("export", "Write krbtgt/REALM and krbtgt_N keys (RODC kvno) to a keytab for a lab DC (secrets: keep it private)");
        var exportDomain = Local<string>("--domain", "The AD domain", required: true);
        var file = Local<string>("--out", "Keytab file to write (replaced when it exists)", required: true);
        export.Add(exportDomain);
        export.Add(file);
        Run(export, async (parse, backend, console, ct) =>
        {
            var bytes = await backend.ExportCloudTrustKeytabAsync(parse.GetValue(exportDomain)!, ct).ConfigureAwait(false);
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var keytab = KeytabFile.Parse(bytes);
            await keytab.WriteAsync(path, ct).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(new JsonObject { ["domain"] = parse.GetValue(exportDomain), ["file"] = path, ["entries"] = keytab.Entries.Count });
            }
            else
            {
                console.Out.WriteLine($"Wrote {keytab.Entries.Count.ToString(CultureInfo.InvariantCulture)} keys of {parse.GetValue(exportDomain)} to {path} (owner-only).");
            }
        });
        command.Add(export);

        var remove = new Command("remove", "Remove the cloud trust (Remove-AzureADKerberosServer): no more tgt_ad for its users");
        var removeDomain = Local<string>("--domain", "The AD domain", required: true);
        remove.Add(removeDomain);
        Run(remove, async (parse, backend, console, ct) =>
        {
            await backend.RemoveCloudTrustAsync(parse.GetValue(removeDomain)!, ct).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(new JsonObject { ["removed"] = parse.GetValue(removeDomain) });
            }
            else
            {
                console.Out.WriteLine($"Removed the cloud trust of {parse.GetValue(removeDomain)}.");
            }
        });
        command.Add(remove);
        return command;
    }

    private Command CloudTrustSetCommand()
    {
        var set = new Command("set", "Create or replace the cloud trust of an AD domain (Set-AzureADKerberosServer); unset lists get AD's RODC defaults");
        var domain = Local<string>("--domain", "The AD domain's DNS name, e.g. contoso.com", required: true);
        var rodc = Local<int>("--rodc", "RODC number (N of krbtgt_N, 1-65535)", required: true);
        var password = Local<string?>("--password", "Derive the AES256 key from this password (AD salt REALM + krbtgt_N)");
        var key = Local<string?>("--key", "Or a raw key: kk:<base64 of 32 bytes>");
        var keyVersion = Local<long?>("--key-version", "KeyVersion (default: previous + 1, or 1)");
        var allow = new Option<string[]>("--allow") { Description = "SID allowed a partial TGT (repeatable; default Domain Users + RID 571)", AllowMultipleArgumentsPerToken = true };
        var deny = new Option<string[]>("--deny") { Description = "SID never allowed (repeatable; default AD's denied RODC groups)", AllowMultipleArgumentsPerToken = true };
        set.Add(domain);
        set.Add(rodc);
        set.Add(password);
        set.Add(key);
        set.Add(keyVersion);
        set.Add(allow);
        set.Add(deny);
        Run(set, async (parse, backend, console, ct) =>
        {
            var body = new JsonObject { ["rodcNumber"] = parse.GetValue(rodc) };
            if (parse.GetValue(password) is { } secret)
            {
                body["password"] = secret;
            }

            if (parse.GetValue(key) is { } raw)
            {
                body["key"] = raw;
            }

            if (parse.GetValue(keyVersion) is { } version)
            {
                body["keyVersion"] = version;
            }

            if (parse.GetResult(allow) is not null)
            {
                body["allowedGroups"] = Strings(parse.GetValue(allow) ?? []);
            }

            if (parse.GetResult(deny) is not null)
            {
                body["deniedGroups"] = Strings(parse.GetValue(deny) ?? []);
            }

            var trust = await backend.SetCloudTrustAsync(parse.GetValue(domain)!, body, ct).ConfigureAwait(false);
            console.Note($"Set the cloud trust of {parse.GetValue(domain)} on {backend.Target}.");
            console.Record(trust, CloudTrustFields);
        });
        return set;
    }
}
