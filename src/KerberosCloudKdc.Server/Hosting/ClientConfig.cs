using System.Text;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Directory;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// Client configuration for a tenant served here: MIT's krb5.conf (banner and GET …/emulator/krb5.conf) and
/// the Windows policy values (GET …/emulator/gpo and gpo.reg).
/// </summary>
public static class ClientConfig
{
    /// <summary>Policies\System\Kerberos: KdcProxyServer_Enabled and domain_realm_Enabled live here (Kerberos.admx).</summary>
    public const string KerberosPolicyKey = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos";

    /// <summary>"Specify KDC proxy servers for Kerberos clients" (policy KdcProxyServer): value name = DNS suffix or realm, REG_SZ = &lt;https … /&gt;.</summary>
    public const string ProxyServersKey = KerberosPolicyKey + @"\KdcProxy\ProxyServers";

    /// <summary>"Define host name-to-Kerberos realm mappings" (policy HostToRealm): value name = realm, REG_SZ = host names and .suffixes separated by ';'.</summary>
    public const string HostToRealmKey = KerberosPolicyKey + @"\domain_realm";

    /// <summary>What the Azure Files docs set so Windows asks Entra for cloud Kerberos tickets.</summary>
    public const string LsaKerberosParametersKey = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa\Kerberos\Parameters";

    /// <summary>Host names mapped to the cloud realm: Azure Files endpoints.</summary>
    public const string MappedHosts = StorageAccounts.FileEndpointSuffix;

    public static string KdcUrl(string origin, Guid tenantId) => $"{origin}/{tenantId:D}/kerberos";

    /// <summary>The krb5.conf for MIT clients (the https KDC needs the krb5-k5tls plugin).</summary>
    public static string Krb5Conf(string kdcUrl, string? caPath)
    {
        var text = new StringBuilder();
        text.AppendLine("[libdefaults]");
        text.AppendLine($"    default_realm = {CloudRealm.Name}");
        text.AppendLine("    dns_lookup_kdc = false");
        text.AppendLine("    dns_canonicalize_hostname = false");
        text.AppendLine("    rdns = false");
        text.AppendLine("    udp_preference_limit = 1");
        text.AppendLine("[realms]");
        text.AppendLine($"    {CloudRealm.Name} = {{");
        text.AppendLine($"        kdc = {kdcUrl}");
        if (caPath is not null)
        {
            text.AppendLine($"        http_anchors = FILE:{caPath}");
        }

        text.AppendLine("    }");
        text.AppendLine("[domain_realm]");
        text.AppendLine($"    {MappedHosts} = {CloudRealm.Name}");
        return text.ToString();
    }

    /// <summary>The ProxyServers value Windows wants: &lt;https HOST:PORT:TENANT/kerberos /&gt; (Entra's documented form, path without leading slash).</summary>
    public static string KdcProxyValue(Uri origin, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return $"<https {origin.Host}:{origin.Port}:{tenantId:D}/kerberos />";
    }

    /// <summary>A .reg file (regedit 5.00, CRLF) that applies the same values as the two Kerberos policies plus cloud ticket retrieval.</summary>
    public static string RegFile(Uri origin, Guid tenantId)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append("\r\n");
        Line("Windows Registry Editor Version 5.00");
        Line(string.Empty);
        Line($"; CloudKdc (lab emulator of Entra Kerberos) for tenant {tenantId:D}");
        Line($"[{KerberosPolicyKey}]");
        Line("\"KdcProxyServer_Enabled\"=dword:00000001");
        Line("\"domain_realm_Enabled\"=dword:00000001");
        Line(string.Empty);
        Line($"[{ProxyServersKey}]");
        Line($"\"{CloudRealm.Name}\"=\"{KdcProxyValue(origin, tenantId)}\"");
        Line(string.Empty);
        Line($"[{HostToRealmKey}]");
        Line($"\"{CloudRealm.Name}\"=\"{MappedHosts}\"");
        Line(string.Empty);
        Line($"[{LsaKerberosParametersKey}]");
        Line("\"CloudKerberosTicketRetrievalEnabled\"=dword:00000001");
        return text.ToString();
    }
}
