using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Golden;

/// <summary>
/// One recorded kinit + kvno exchange with MIT krb5kdc (see Scripts/capture-mit-golden.sh), with the
/// fixed secrets the capture used, so each encrypted layer can be opened.
/// </summary>
internal sealed class MitGoldenExchange
{
    public const string Realm = "EXAMPLE.TEST";
    public const string UserPassword = "alice-password";
    public const string ServicePassword = "service-password";
    public const string KrbtgtPassword = "krbtgt-password";

    private MitGoldenExchange(string scenario)
    {
        Scenario = scenario;
        EncryptionType = scenario switch
        {
            "aes256-cts-hmac-sha1-96" => EncryptionType.Aes256CtsHmacSha196,
            "aes256-cts-hmac-sha384-192" => EncryptionType.Aes256CtsHmacSha384192,
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
    }

    public static IEnumerable<object[]> Scenarios =>
    [
        ["aes256-cts-hmac-sha1-96"],
        ["aes256-cts-hmac-sha384-192"],
    ];

    public static IEnumerable<object[]> Files =>
        from scenario in Scenarios
        from file in new[] { "as-req-no-preauth", "krb-error-preauth-required", "as-req", "as-rep", "tgs-req", "tgs-rep" }
        select new object[] { scenario[0], file };

    public string Scenario { get; }

    public EncryptionType EncryptionType { get; }

    public KerberosKey UserKey => KerberosEncryption.StringToKey(EncryptionType, UserPassword, Realm + "alice");

    /// <summary>MIT encrypts tickets with the service's first key (etype 18 here), whatever the client asked for.</summary>
    public static KerberosKey ServiceKey(EncryptionType type) => KerberosEncryption.StringToKey(type, ServicePassword, Realm + "HTTPweb.example.test");

    public static KerberosKey KrbtgtKey(EncryptionType type) => KerberosEncryption.StringToKey(type, KrbtgtPassword, Realm + "krbtgt" + Realm);

    public static MitGoldenExchange Load(string scenario) => new(scenario);

    public byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", "mit", Scenario, name + ".der"));
}
