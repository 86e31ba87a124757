namespace KerberosCloudKdc.Kdc.Seed;

/// <summary>
/// The lab tenant served when no seed file is given (same text as samples/demo-seed.json). Every secret
/// here is public on purpose: this is a lab fixture, never a production directory.
/// </summary>
public static class DemoSeed
{
    public const string TenantId = "7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6";

    public const string AliceUpn = "alice@contoso.com";
    public const string AlicePassword = "Alice-Demo-Passw0rd!";
    public const string BobUpn = "bob@contoso.com";
    public const string BobPassword = "Bob-Demo-Passw0rd!";
    public const string CarolUpn = "carol@contoso.com";
    public const string CarolPassword = "Carol-Demo-Passw0rd!";
    public const string StorageAccountName = "demoaccount";
    public const string StorageAccountPassword = "DemoAccount-Kerb1-Passw0rd!";

    /// <summary>The seed JSON (schema in docs/configuration.md).</summary>
    public const string Json = """
        {
          "tenants": [
            {
              "id": "7a3c5e91-2b4d-4f68-9e0a-c1d2e3f4a5b6",
              "displayName": "Contoso (CloudKdc demo)",
              "isDefault": true,
              "verifiedDomains": ["contoso.com"],
              "onPremisesDomain": {
                "dnsName": "contoso.com",
                "netBiosName": "CONTOSO",
                "domainSid": "S-1-5-21-3623811015-3361044348-30300820"
              },
              "policy": { "passwordGrantEnabled": true },
              "groups": [
                { "name": "File Share Users", "rid": 1110 },
                { "name": "Finance", "rid": 1111 },
                { "name": "Cloud Engineers" }
              ],
              "users": [
                {
                  "upn": "alice@contoso.com",
                  "displayName": "Alice (hybrid)",
                  "password": "Alice-Demo-Passw0rd!",
                  "onPremises": { "samAccountName": "alice", "rid": 1105 },
                  "groups": ["File Share Users", "Finance", "Cloud Engineers"]
                },
                {
                  "upn": "bob@contoso.com",
                  "displayName": "Bob (hybrid)",
                  "password": "Bob-Demo-Passw0rd!",
                  "onPremises": { "samAccountName": "bob", "rid": 1106 },
                  "groups": ["File Share Users"]
                },
                {
                  "upn": "carol@contoso.com",
                  "displayName": "Carol (cloud-only)",
                  "password": "Carol-Demo-Passw0rd!",
                  "groups": ["Cloud Engineers"]
                }
              ],
              "storageAccounts": [
                { "name": "demoaccount", "password": "DemoAccount-Kerb1-Passw0rd!" }
              ]
            }
          ]
        }
        """;

    public static SeedDocument Parse() => SeedLoader.Parse(Json, "(embedded demo)");
}
