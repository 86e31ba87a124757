using System.CommandLine;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Cli;

/// <summary>cloudkdc device register|list|disable|enable|delete (docs/token-path.md §2).</summary>
internal sealed partial class CliCommands
{
    private static readonly (string Header, string Field)[] DeviceColumns =
        [("Device id", "deviceId"), ("Name", "displayName"), ("Enabled", "accountEnabled"), ("Thumbprint", "certificateThumbprint"), ("Registered", "registrationDateTime")];

    private Command DeviceCommand()
    {
        var command = new Command("device", "Registered devices (the certificate that signs PRT requests and the transport key)");

        var register = new Command("register", "Register a device: its certificate's subject CN is the device id");
        var certificate = Local<string>("--cert", "Device certificate file (PEM or DER; RSA >= 2048, CN = device id)", required: true);
        var transportKey = Local<string>("--transport-key", "Transport public key file (PEM PUBLIC KEY or DER SubjectPublicKeyInfo)", required: true);
        var name = Local<string?>("--name", "Display name (default: the device id)");
        register.Add(certificate);
        register.Add(transportKey);
        register.Add(name);
        Run(register, async (parse, backend, console, ct) =>
        {
            var body = new JsonObject
            {
                ["certificate"] = await KeyFileTextAsync(parse.GetValue(certificate)!, ct).ConfigureAwait(false),
                ["transportKey"] = await KeyFileTextAsync(parse.GetValue(transportKey)!, ct).ConfigureAwait(false),
            };
            if (parse.GetValue(name) is { } displayName)
            {
                body["displayName"] = displayName;
            }

            var device = await backend.RegisterDeviceAsync(body, ct).ConfigureAwait(false);
            console.Note($"Registered device {device["deviceId"]} on {backend.Target}.");
            console.Record(device, DeviceColumns);
        });
        command.Add(register);

        var list = new Command("list", "List the registered devices");
        Run(list, async (_, backend, console, ct) => console.Table(await backend.ListDevicesAsync(ct).ConfigureAwait(false), DeviceColumns));
        command.Add(list);

        foreach (var (verb, enabled) in new[] { ("disable", false), ("enable", true) })
        {
            var toggle = new Command(verb, $"{(enabled ? "Enable" : "Disable")} a device (a disabled device gets no PRT)");
            var id = Arg("ID", "Device id or object id");
            toggle.Add(id);
            Run(toggle, async (parse, backend, console, ct) =>
            {
                var device = await backend.UpdateDeviceAsync(parse.GetValue(id)!, new JsonObject { ["accountEnabled"] = enabled }, ct).ConfigureAwait(false);
                console.Note($"{(enabled ? "Enabled" : "Disabled")} device {device["deviceId"]}.");
                console.Record(device, DeviceColumns);
            });
            command.Add(toggle);
        }

        var delete = new Command("delete", "Delete a device registration");
        var deleteId = Arg("ID", "Device id or object id");
        delete.Add(deleteId);
        Run(delete, async (parse, backend, console, ct) =>
        {
            await backend.DeleteDeviceAsync(parse.GetValue(deleteId)!, ct).ConfigureAwait(false);
            console.Note($"Deleted device {parse.GetValue(deleteId)}.");
        });
        command.Add(delete);
        return command;
    }

    /// <summary>PEM files pass as text; anything else is taken as DER and sent as base64.</summary>
    private static async Task<string> KeyFileTextAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN", StringComparison.Ordinal) ? text : Convert.ToBase64String(bytes);
    }
}
