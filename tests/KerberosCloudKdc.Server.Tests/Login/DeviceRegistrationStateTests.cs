using KerberosCloudKdc.Server.Login;

namespace KerberosCloudKdc.Server.Tests.Login;

/// <summary>registration.json is the user's file: whatever shape it is in, login re-registers rather than crashing.</summary>
public sealed class DeviceRegistrationStateTests : IDisposable
{
    private static readonly Uri Server = new("https://kdc.lab.example:8443/");
    private readonly string directory = Directory.CreateTempSubdirectory("cloudkdc-registration-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("""{"registrations":[{"server":1,"tenant":{"a":1}}]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"registrations":{"server":"x"}}""")]
    [InlineData("""{"registrations":[null, 5, "text"]}""")]
    [InlineData("""not json""")]
    public async Task A_damaged_state_file_reads_as_not_registered_and_is_rewritten(string content)
    {
        var path = Path.Combine(directory, DeviceRegistrationState.FileName);
        await File.WriteAllTextAsync(path, content);

        Assert.False(await DeviceRegistrationState.IsRegisteredAsync(directory, Server, "contoso.com", CancellationToken.None));
        await DeviceRegistrationState.RememberAsync(directory, Server, "contoso.com", Guid.NewGuid(), CancellationToken.None);
        Assert.True(await DeviceRegistrationState.IsRegisteredAsync(directory, Server, "contoso.com", CancellationToken.None));
        Assert.False(await DeviceRegistrationState.IsRegisteredAsync(directory, Server, "fabrikam.com", CancellationToken.None));
    }
}
