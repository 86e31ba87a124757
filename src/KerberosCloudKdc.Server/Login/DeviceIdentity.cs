using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The emulated Entra-joined device on disk: the device key and its self-signed certificate (subject CN = the device
/// GUID, as Entra's MS-Organization-Access certificates have it), which signs PRT requests, and the transport key the
/// server wraps the PRT session key to. Private keys are PKCS#8 PEM files readable by the owner only.
/// </summary>
internal sealed class DeviceIdentity : IDisposable
{
    public const string DeviceKeyFile = "device-key.pem";
    public const string CertificateFile = "device-cert.pem";
    public const string TransportKeyFile = "transport-key.pem";
    private const int KeySize = 2048;

    private DeviceIdentity(string directory, Guid deviceId, X509Certificate2 certificate, RSA transportKey)
    {
        Directory = directory;
        DeviceId = deviceId;
        Certificate = certificate;
        TransportKey = transportKey;
    }

    public string Directory { get; }

    public Guid DeviceId { get; }

    /// <summary>The device certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public RSA TransportKey { get; }

    /// <summary>$XDG_CONFIG_HOME/cloudkdc/device, else ~/.config/cloudkdc/device.</summary>
    public static string DefaultDirectory()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "cloudkdc", "device");
    }

    /// <summary>Loads the device of <paramref name="directory"/>, creating a new one when the directory holds none.</summary>
    public static async Task<(DeviceIdentity Device, bool Created)> LoadOrCreateAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = new[] { DeviceKeyFile, CertificateFile, TransportKeyFile }.Select(f => Path.Combine(directory, f)).ToArray();
        var present = files.Count(File.Exists);
        if (present == 0)
        {
            return (await CreateAsync(directory, cancellationToken).ConfigureAwait(false), true);
        }

        if (present != files.Length)
        {
            // Regenerating only the missing part would silently make a different device; the user decides.
            throw new LoginException($"device directory {directory} is incomplete (it needs {DeviceKeyFile}, {CertificateFile} and {TransportKeyFile}); remove it to create a new device");
        }

        return (await LoadAsync(directory, cancellationToken).ConfigureAwait(false), false);
    }

    private static async Task<DeviceIdentity> CreateAsync(string directory, CancellationToken cancellationToken)
    {
        OwnerOnlyFile.CreatePrivateDirectory(directory);
        var deviceId = Guid.NewGuid();
        using var deviceKey = RSA.Create(KeySize);
        var transportKey = RSA.Create(KeySize);
        var request = new CertificateRequest($"CN={deviceId:D}", deviceKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        var deviceKeyPem = deviceKey.ExportPkcs8PrivateKeyPem();
        var certificatePem = certificate.ExportCertificatePem();

        // The certificate goes last: its presence marks a complete device for LoadOrCreateAsync's check.
        await OwnerOnlyFile.WriteTextAsync(Path.Combine(directory, DeviceKeyFile), deviceKeyPem, cancellationToken).ConfigureAwait(false);
        await OwnerOnlyFile.WriteTextAsync(Path.Combine(directory, TransportKeyFile), transportKey.ExportPkcs8PrivateKeyPem(), cancellationToken).ConfigureAwait(false);
        await OwnerOnlyFile.WriteTextAsync(Path.Combine(directory, CertificateFile), certificatePem, cancellationToken).ConfigureAwait(false);

        // Built from the PEM just written, so a new device is exactly what a later load of the directory gives.
        return new DeviceIdentity(directory, deviceId, X509Certificate2.CreateFromPem(certificatePem, deviceKeyPem), transportKey);
    }

    private static async Task<DeviceIdentity> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        foreach (var keyFile in new[] { DeviceKeyFile, TransportKeyFile })
        {
            if (OwnerOnlyFile.IsTooOpen(Path.Combine(directory, keyFile)))
            {
                throw new LoginException($"{Path.Combine(directory, keyFile)} is readable by others; chmod 600 it");
            }
        }

        var certificatePem = await File.ReadAllTextAsync(Path.Combine(directory, CertificateFile), cancellationToken).ConfigureAwait(false);
        var deviceKeyPem = await File.ReadAllTextAsync(Path.Combine(directory, DeviceKeyFile), cancellationToken).ConfigureAwait(false);
        var transportKeyPem = await File.ReadAllTextAsync(Path.Combine(directory, TransportKeyFile), cancellationToken).ConfigureAwait(false);
        X509Certificate2 certificate;
        var transportKey = RSA.Create();
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, deviceKeyPem);
            transportKey.ImportFromPem(transportKeyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            transportKey.Dispose();
            throw new LoginException($"device directory {directory}: cannot read its keys or certificate ({e.Message})", e);
        }

        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!Guid.TryParse(commonName, out var deviceId) || certificate.GetRSAPublicKey() is not { KeySize: >= KeySize } || transportKey.KeySize < KeySize)
        {
            certificate.Dispose();
            transportKey.Dispose();
            throw new LoginException($"device directory {directory}: the certificate's CN must be a device GUID and both keys RSA of at least {KeySize} bits");
        }

        return new DeviceIdentity(directory, deviceId, certificate, transportKey);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        TransportKey.Dispose();
    }
}
