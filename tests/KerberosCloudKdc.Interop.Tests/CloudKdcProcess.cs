using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KerberosCloudKdc.Interop.Tests;

/// <summary>
/// The real server process (cloudkdc.dll) on a free loopback port with its own data directory: what a
/// user runs, not an in-process test host. Output is kept for failure messages.
/// </summary>
internal sealed class CloudKdcProcess : IAsyncDisposable
{
    public const string Realm = "KERBEROS.MICROSOFTONLINE.COM";

    /// <summary>The embedded demo tenant (samples/demo-seed.json).</summary>
    public const string DemoTenantId = "7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6";

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly IReadOnlyList<string> extraArguments;
    private bool ownsDirectory = true;

    private CloudKdcProcess(Process process, string directory, int port, IReadOnlyList<string> extraArguments)
    {
        this.process = process;
        this.extraArguments = extraArguments;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string CaPath => Path.Combine(DataDirectory, "tls", "lab-ca.pem");

    public Uri BaseUri => new($"https://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static Task<CloudKdcProcess> StartAsync(IEnumerable<string>? extraArguments = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloudkdc-interop-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        return StartInAsync(directory, extraArguments?.ToList() ?? []);
    }

    /// <summary>
    /// kill -9, then a new server process on the same data directory (and a new port): what a crash and a
    /// restart look like. The new instance owns the directory from then on.
    /// </summary>
    public async Task<CloudKdcProcess> KillAndRestartAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        ownsDirectory = false;
        return await StartInAsync(Directory, extraArguments);
    }

    /// <summary>The admin API key the server generated into its data directory on first start.</summary>
    public string AdminApiKey => File.ReadAllText(Path.Combine(DataDirectory, "admin-api-key")).Trim();

    private static async Task<CloudKdcProcess> StartInAsync(string directory, IReadOnlyList<string> extraArguments)
    {
        var port = FreeTcpPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "cloudkdc.dll"),
                     "--urls", $"https://127.0.0.1:{port}",
                     $"--CloudKdc:DataDirectory={Path.Combine(directory, "data")}",
                 }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var server = new CloudKdcProcess(Process.Start(start)!, directory, port, extraArguments);
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    public string KdcUrl(string tenant = DemoTenantId) => $"https://127.0.0.1:{Port}/{tenant}/kerberos";

    /// <summary>
    /// An MIT client configuration that reaches this server through the KDC proxy, or through
    /// <paramref name="kdc"/> (e.g. "127.0.0.1:PORT" for the raw TCP listener) when given.
    /// </summary>
    public string WriteClientConfig(string directory, string tenant = DemoTenantId, string? kdc = null)
    {
        var path = Path.Combine(directory, "krb5.conf");
        File.WriteAllText(path, $"""
            [libdefaults]
              default_realm = {Realm}
              dns_lookup_kdc = false
              dns_lookup_realm = false
              dns_canonicalize_hostname = false
              rdns = false
              forwardable = true
              udp_preference_limit = 1
            [realms]
              {Realm} = {"{"}
                kdc = {kdc ?? KdcUrl(tenant)}
                http_anchors = FILE:{CaPath}
              {"}"}
            [domain_realm]
              .file.core.windows.net = {Realm}
            """);
        return path;
    }

    /// <summary>An HttpClient that trusts only the server's lab CA, as MIT's http_anchors does.</summary>
    public HttpClient CreateHttpClient()
    {
        var anchor = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(anchor);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(20) };
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
            if (ownsDirectory)
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"cloudkdc exited with {process.ExitCode}:\n{Output}");
            }

            if (File.Exists(CaPath))
            {
                try
                {
                    using var client = CreateHttpClient();
                    using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"cloudkdc did not become healthy:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
