namespace KerberosCloudKdc.Interop.Tests;

/// <summary>One server process for a test class; each test brings its own MIT client cache.</summary>
public sealed class CloudKdcFixture : IAsyncLifetime
{
    private CloudKdcProcess? server;

    internal CloudKdcProcess Server => server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => server = await CloudKdcProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
