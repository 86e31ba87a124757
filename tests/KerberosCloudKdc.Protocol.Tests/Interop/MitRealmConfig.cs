namespace KerberosCloudKdc.Protocol.Tests.Interop;

/// <summary>The kdc.conf and krb5.conf a <see cref="MitRealm"/> runs with.</summary>
internal static class MitRealmConfig
{
    // The AES families only: the emulator implements nothing else, so MIT should not offer more.
    public const string Enctypes =
        "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128";

    public static void WriteKdcConfig(string path, string realm, string directory, int port)
    {
        var salted = string.Join(' ', Enctypes.Split(' ').Select(e => e + ":normal"));
        var text = $$"""
            [kdcdefaults]
             kdc_listen = 127.0.0.1:{{port}}
             kdc_tcp_listen = 127.0.0.1:{{port}}

            [realms]
             {{realm}} = {
              database_name = {{Path.Combine(directory, "principal")}}
              key_stash_file = {{Path.Combine(directory, "stash")}}
              acl_file = {{Path.Combine(directory, "kadm5.acl")}}
              kdc_listen = 127.0.0.1:{{port}}
              kdc_tcp_listen = 127.0.0.1:{{port}}
              master_key_type = aes256-cts-hmac-sha1-96
              supported_enctypes = {{salted}}
              max_life = 10h
              max_renewable_life = 7d
             }

            [logging]
             kdc = FILE:{{Path.Combine(directory, "kdc.log")}}
             admin_server = FILE:{{Path.Combine(directory, "kadmin.log")}}
             default = FILE:{{Path.Combine(directory, "krb5lib.log")}}

            """;
        File.WriteAllText(path, text);
    }

    public static void WriteClientConfig(string path, string realm, string kdcHostPort)
    {
        // udp_preference_limit = 1 sends every request over TCP, which is what the fixture listens
        // for reliably and what a recording proxy can frame.
        var text = $$"""
            [libdefaults]
             default_realm = {{realm}}
             dns_lookup_kdc = false
             dns_lookup_realm = false
             dns_canonicalize_hostname = false
             rdns = false
             udp_preference_limit = 1
             permitted_enctypes = {{Enctypes}}

            [realms]
             {{realm}} = {
              kdc = {{kdcHostPort}}
             }

            """;
        File.WriteAllText(path, text);
    }
}
