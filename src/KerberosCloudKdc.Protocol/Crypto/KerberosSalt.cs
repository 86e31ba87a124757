using System.Text;

namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>Default password salts.</summary>
public static class KerberosSalt
{
    /// <summary>
    /// RFC 4120 §4 default salt: the realm followed by each name component, concatenated with no separators
    /// (so "EXAMPLE.COM" + ["host", "a.example.com"] gives "EXAMPLE.COMhosta.example.com").
    /// </summary>
    public static string ForPrincipal(string realm, IEnumerable<string> nameComponents)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(nameComponents);
        StringBuilder salt = new(realm);
        foreach (string component in nameComponents)
        {
            salt.Append(component);
        }

        return salt.ToString();
    }
}
