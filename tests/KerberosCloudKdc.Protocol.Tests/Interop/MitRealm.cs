using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace KerberosCloudKdc.Protocol.Tests.Interop;

/// <summary>
/// A throwaway MIT KDC: its own temp directory, database, configuration and loopback port, so any
/// number of instances can run side by side. Nothing touches /etc/krb5.conf or /var/lib/krb5kdc.
/// </summary>
public sealed class MitRealm : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process kdc;
    private int clientConfigCount;

    private MitRealm(string realm, string directory, int kdcPort, Process kdc)
    {
        Realm = realm;
        Directory = directory;
        KdcPort = kdcPort;
        this.kdc = kdc;
    }

    public string Realm { get; }

    public string Directory { get; }

    public int KdcPort { get; }

    public string Krb5ConfigPath => Path.Combine(Directory, "krb5.conf");

    public string KdcConfigPath => Path.Combine(Directory, "kdc.conf");

    public string CcachePath => Path.Combine(Directory, "ccache");

    public string KdcLogPath => Path.Combine(Directory, "kdc.log");

    public static async Task<MitRealm> StartAsync(string realm = "EXAMPLE.TEST", CancellationToken ct = default)
    {
        MitTools.RequireInstalled("kdb5_util", "krb5kdc", "kadmin.local");
        var directory = System.IO.Directory.CreateTempSubdirectory("mitrealm-").FullName;
        try
        {
            // The free port is only known to be free when we look; another process may take it before
            // krb5kdc binds, so a KDC that dies at startup is retried on a fresh port.
            for (var attempt = 1; ; attempt++)
            {
                var port = FindFreePort();
                MitRealmConfig.WriteKdcConfig(Path.Combine(directory, "kdc.conf"), realm, directory, port);
                MitRealmConfig.WriteClientConfig(Path.Combine(directory, "krb5.conf"), realm, $"127.0.0.1:{port}");
                if (attempt == 1)
                {
                    await CreateDatabaseAsync(realm, directory).ConfigureAwait(false);
                }

                var process = StartKdc(realm, directory);
                if (await WaitUntilListeningAsync(process, port, ct).ConfigureAwait(false))
                {
                    return new MitRealm(realm, directory, port, process);
                }

                await StopAsync(process).ConfigureAwait(false);
                process.Dispose();
                if (attempt == StartAttempts)
                {
                    var log = File.Exists(Path.Combine(directory, "kdc.log"))
                        ? await File.ReadAllTextAsync(Path.Combine(directory, "kdc.log"), ct).ConfigureAwait(false)
                        : "(no kdc.log)";
                    throw new InvalidOperationException($"krb5kdc did not start listening on 127.0.0.1:{port}: {log}");
                }
            }
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    public Task AddPrincipalAsync(string principal, string password)
    {
        // kadmin.local parses -q itself; a quote inside the password would end the argument early.
        if (password.Contains('"', StringComparison.Ordinal) || principal.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException("Quotes are not supported in test principals or passwords.");
        }

        return AddAsync($"addprinc -pw \"{password}\" \"{principal}\"", principal);
    }

    public Task AddRandomKeyPrincipalAsync(string principal)
    {
        if (principal.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException("Quotes are not supported in test principals.");
        }

        return AddAsync($"addprinc -randkey \"{principal}\"", principal);
    }

    /// <summary>Another client configuration for this realm, e.g. aimed at a recording proxy.</summary>
    public string WriteClientConfig(string kdcHostPort)
    {
        var number = Interlocked.Increment(ref clientConfigCount);
        var path = Path.Combine(Directory, $"krb5-client-{number}.conf");
        MitRealmConfig.WriteClientConfig(path, Realm, kdcHostPort);
        return path;
    }

    public Task<ProcessResult> RunAsync(string tool, IEnumerable<string> args, string? stdin = null, string? krb5Config = null) =>
        MitTools.RunAsync(tool, args, Environment(Directory, krb5Config ?? Krb5ConfigPath), stdin);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kdc).ConfigureAwait(false);
        kdc.Dispose();
        DeleteDirectory(Directory);
    }

    private async Task AddAsync(string query, string principal)
    {
        var result = await RunAsync("kadmin.local", ["-r", Realm, "-q", query]).ConfigureAwait(false);

        // kadmin.local exits 0 even when the query fails, so success is read from its output.
        if (result.ExitCode != 0 || !result.StdOut.Contains("\" created.", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"kadmin.local could not add '{principal}': {result.Output}");
        }
    }

    private static Dictionary<string, string> Environment(string directory, string krb5Config) => new()
    {
        ["KRB5_CONFIG"] = krb5Config,
        ["KRB5_KDC_PROFILE"] = Path.Combine(directory, "kdc.conf"),
        ["KRB5CCNAME"] = "FILE:" + Path.Combine(directory, "ccache"),
        ["KRB5RCACHEDIR"] = directory,
        ["KRB5_TRACE"] = string.Empty,
        ["KRB5_KTNAME"] = string.Empty,
        ["KRB5_CLIENT_KTNAME"] = string.Empty,
    };

    private static async Task CreateDatabaseAsync(string realm, string directory)
    {
        var masterPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var result = await MitTools.RunAsync(
            "kdb5_util",
            ["-r", realm, "create", "-s", "-P", masterPassword],
            Environment(directory, Path.Combine(directory, "krb5.conf"))).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kdb5_util create failed: {result.Output}");
        }
    }

    private static Process StartKdc(string realm, string directory)
    {
        var startInfo = new ProcessStartInfo(MitTools.TryResolve("krb5kdc")!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "-n", "-r", realm })
        {
            startInfo.ArgumentList.Add(arg);
        }

        MitTools.ApplyEnvironment(startInfo, Environment(directory, Path.Combine(directory, "krb5.conf")));
        var process = Process.Start(startInfo)!;

        // Drain the pipes so a chatty KDC can never block on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> WaitUntilListeningAsync(Process process, int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                return false;
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(25, ct).ConfigureAwait(false);
            }
        }

        return false;
    }

    /// <summary>A port free for both TCP and UDP, since krb5kdc binds both.</summary>
    private static int FindFreePort()
    {
        for (var i = 0; i < 50; i++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // UDP half taken: try another port.
            }
        }

        throw new InvalidOperationException("No free loopback port for krb5kdc.");
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test for it would hide the real result.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
