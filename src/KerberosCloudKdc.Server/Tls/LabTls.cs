using KerberosCloudKdc.Server.Hosting;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Tls;

/// <summary>Creates or reuses the lab certificates once per process, with the names the options ask for.</summary>
public sealed class LabTls(IOptions<CloudKdcOptions> options, DataDirectory dataDirectory, TimeProvider clock)
{
    private readonly Lock gate = new();
    private LabCertificates? current;

    /// <summary>Set once a generated certificate is in use (null when Kestrel's own certificate configuration is used).</summary>
    public LabCertificates? Current => current;

    public LabCertificates Ensure()
    {
        lock (gate)
        {
            return current ??= LabCertificateAuthority.Ensure(dataDirectory.Subdirectory("tls"), Names(options.Value), clock.GetUtcNow());
        }
    }

    /// <summary>localhost, 127.0.0.1, ::1, the machine name, the PublicOrigin host and CertificateNames.</summary>
    public static IReadOnlyList<string> Names(CloudKdcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new List<string> { "localhost", "127.0.0.1", "::1" };
        var machine = Environment.MachineName.ToLowerInvariant();
        if (Uri.CheckHostName(machine) == UriHostNameType.Dns)
        {
            names.Add(machine);
        }

        if (options.PublicOriginUri is { } origin)
        {
            names.Add(origin.IdnHost);
        }

        names.AddRange(options.ExtraCertificateNames);
        return names;
    }
}
