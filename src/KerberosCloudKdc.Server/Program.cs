using KerberosCloudKdc.Kdc.Seed;
using KerberosCloudKdc.Kdc.Storage;
using KerberosCloudKdc.Server.Cli;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.Extensions.Options;

var (isCli, hostArguments) = CloudKdcCli.Route(args);
if (isCli)
{
    return await CloudKdcCli.RunAsync(args, Console.Out, Console.Error);
}

WebApplication app;
try
{
    app = await CloudKdcApp.BuildAsync(hostArguments);
}
catch (StorageException e)
{
    await Console.Error.WriteLineAsync("cloudkdc: cannot open the store: " + e.Message);
    return 2;
}

try
{
    CloudKdcApp.ValidateAtStart(app);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync("cloudkdc: invalid configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", e.Failures));
    return 2;
}
catch (SeedException e)
{
    await Console.Error.WriteLineAsync("cloudkdc: " + e.Message);
    return 2;
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync("cloudkdc: cannot start: " + e.Message);
    return 1;
}

/// <summary>Entry point; public so the test host (WebApplicationFactory) can find it.</summary>
public partial class Program;
