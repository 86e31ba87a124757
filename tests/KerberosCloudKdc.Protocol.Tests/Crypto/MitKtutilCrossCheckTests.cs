using KerberosCloudKdc.Protocol.Tests.Interop;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>
/// Cross-checks string-to-key with the default salt against MIT Kerberos: ktutil derives the keys into a keytab
/// and "klist -k -e -K" prints them. A missing tool fails the test rather than skipping it.
/// </summary>
public sealed partial class MitKtutilCrossCheckTests : IDisposable
{
    private static readonly (EncryptionType Type, string MitName)[] EncryptionTypes =
    [
        (EncryptionType.Aes128CtsHmacSha196, "aes128-cts-hmac-sha1-96"),
        (EncryptionType.Aes256CtsHmacSha196, "aes256-cts-hmac-sha1-96"),
        (EncryptionType.Aes128CtsHmacSha256128, "aes128-cts-hmac-sha256-128"),
        (EncryptionType.Aes256CtsHmacSha384192, "aes256-cts-hmac-sha384-192"),
    ];

    private readonly string directory = Directory.CreateTempSubdirectory("kck-crypto-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("EXAMPLE.TEST", "user", "Passw0rd!")]
    [InlineData("EXAMPLE.TEST", "host/www.example.test", "correct horse battery staple")]
    [InlineData("CONTOSO.EXAMPLE", "p\u00e4ssw\u00f6rd-user", "p\u00e4ssw\u00f6rd \u20ac")]
    public async Task StringToKey_matches_MIT_ktutil(string realm, string name, string password)
    {
        MitTools.RequireInstalled("ktutil", "klist");

        // An empty krb5.conf keeps the host's configuration (e.g. permitted_enctypes) out of the comparison.
        string config = Path.Combine(directory, "krb5.conf");
        File.WriteAllText(config, string.Empty);
        Dictionary<string, string> environment = new() { ["KRB5_CONFIG"] = config };

        string keytab = Path.Combine(directory, "cross.keytab");
        string principal = $"{name}@{realm}";
        StringBuilder script = new();
        foreach ((_, string mitName) in EncryptionTypes)
        {
            script.Append(CultureInfo.InvariantCulture, $"addent -password -p {principal} -k 1 -e {mitName}\n");
            script.Append(password).Append('\n');
        }

        script.Append(CultureInfo.InvariantCulture, $"wkt {keytab}\nquit\n");
        ProcessResult added = await MitTools.RunAsync("ktutil", [], environment, script.ToString());
        Assert.True(added.ExitCode == 0 && File.Exists(keytab), $"ktutil failed ({added.ExitCode}): {added.Output}");

        ProcessResult listed = await MitTools.RunAsync("klist", ["-k", "-e", "-K", keytab], environment);
        Assert.True(listed.ExitCode == 0, $"klist failed ({listed.ExitCode}): {listed.StdErr}");

        string salt = KerberosSalt.ForPrincipal(realm, name.Split('/'));
        foreach ((EncryptionType type, string mitName) in EncryptionTypes)
        {
            string mitKey = FindKey(listed.StdOut, mitName);
            KerberosKey ours = KerberosEncryption.StringToKey(type, password, salt);
            Assert.Equal(mitKey, Hex.Format(ours.Value));
        }
    }

    private static string FindKey(string klistOutput, string mitName)
    {
        foreach (string line in klistOutput.Split('\n'))
        {
            if (line.Contains($"({mitName})", StringComparison.Ordinal))
            {
                Match match = KeyPattern().Match(line);
                Assert.True(match.Success, $"No key bytes on klist line: {line}");
                return match.Groups[1].Value.ToLowerInvariant();
            }
        }

        Assert.Fail($"klist output has no {mitName} entry:\n{klistOutput}");
        return string.Empty;
    }

    [GeneratedRegex(@"\(0x([0-9a-fA-F]+)\)")]
    private static partial Regex KeyPattern();
}
