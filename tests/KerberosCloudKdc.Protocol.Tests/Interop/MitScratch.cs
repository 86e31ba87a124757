using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Interop;

/// <summary>
/// A temp directory with a client krb5.conf, for MIT tools that need no KDC (ktutil, klist).
/// Output is pinned to the C locale and UTC so tests can parse the times klist prints.
/// </summary>
internal sealed class MitScratch : IDisposable
{
    public MitScratch()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mitscratch-").FullName;
        MitRealmConfig.WriteClientConfig(ConfigPath, "EXAMPLE.TEST", "127.0.0.1:9");
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "krb5.conf");

    public string PathOf(string name) => Path.Combine(Directory, name);

    public Task<ProcessResult> RunAsync(string tool, IEnumerable<string> args, string? stdin = null) =>
        MitTools.RunAsync(tool, args, new Dictionary<string, string>
        {
            ["KRB5_CONFIG"] = ConfigPath,
            ["KRB5CCNAME"] = "FILE:" + PathOf("ccache"),
            ["KRB5_TRACE"] = string.Empty,
            ["KRB5_KTNAME"] = string.Empty,
            ["TZ"] = "UTC",
            ["LC_ALL"] = "C",
        }, stdin);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>The names MIT tools print for the enctypes the emulator supports.</summary>
    public static EncryptionType Enctype(string mitName) => mitName switch
    {
        "aes256-cts-hmac-sha1-96" => EncryptionType.Aes256CtsHmacSha196,
        "aes128-cts-hmac-sha1-96" => EncryptionType.Aes128CtsHmacSha196,
        "aes256-cts-hmac-sha384-192" => EncryptionType.Aes256CtsHmacSha384192,
        "aes128-cts-hmac-sha256-128" => EncryptionType.Aes128CtsHmacSha256128,
        _ => throw new ArgumentException($"Unexpected MIT enctype name '{mitName}'.", nameof(mitName)),
    };
}
