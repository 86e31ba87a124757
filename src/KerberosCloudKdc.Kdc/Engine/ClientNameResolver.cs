using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Maps a client principal name to a directory user. Entra clients name themselves by UPN, either as an
/// NT-ENTERPRISE name (kinit -E alice@contoso.com) or as a one-component NT-PRINCIPAL; MIT users on a
/// hybrid domain also type the on-premises SAM name (kinit alice). The store matches both forms.
/// </summary>
internal static class ClientNameResolver
{
    /// <summary>The single string to look up, or null for shapes no Entra user can have (several components, service types).</summary>
    public static string? LookupName(PrincipalName? name)
    {
        if (name is null || name.Components.Count != 1 || name.Components[0].Length == 0)
        {
            return null;
        }

        return name.Type is PrincipalNameType.Enterprise or PrincipalNameType.Principal or PrincipalNameType.Unknown
            ? name.Components[0]
            : null;
    }

    public static async ValueTask<DirectoryUser?> ResolveAsync(IDirectoryStore store, Tenant tenant, PrincipalName? name, CancellationToken cancellationToken)
    {
        var lookup = LookupName(name);
        return lookup is null ? null : await store.FindUserAsync(tenant.Id, lookup, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The canonical name (RFC 6806): NT-ENTERPRISE with the UPN, as Entra's TGTs show it (facts §7.5).</summary>
    public static PrincipalName Canonical(DirectoryUser user) => new(PrincipalNameType.Enterprise, user.UserPrincipalName);
}
