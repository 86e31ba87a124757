using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Server.Token;

/// <summary>tgt_cloud and tgt_ad of one response, already serialised.</summary>
internal sealed record TokenTicketSet(string Cloud, string? OnPremises)
{
    /// <summary>The sign-in log's service name: which tickets were asked for and made.</summary>
    public string Service => OnPremises is null ? "tgt_cloud" : "tgt_cloud+tgt_ad";
}

/// <summary>
/// Mints the Kerberos part of a token response (facts §3.5): for each TGT a fresh random AES256 key K_c
/// encrypts the AS-REP enc-part (usage 3), and <c>protectClientKey</c> turns K_c into the clientKey field
/// (a JWE under the PRT session key, or plain base64 for the lab password grant).
/// </summary>
internal sealed class TokenTickets(TicketIssuer issuer, PartialTgtIssuer partialIssuer, IKerberosRandom random)
{
    private static readonly string CloudTgs = "krbtgt/" + CloudRealm.Name;

    public async Task<TokenTicketSet> IssueAsync(Tenant tenant, DirectoryUser user, Func<KerberosKey, string> protectClientKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(protectClientKey);
        var cloud = await CloudAsync(tenant, user, protectClientKey, cancellationToken).ConfigureAwait(false);

        var adKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);
        var outcome = await partialIssuer.IssueAsync(tenant, user, adKey, cancellationToken).ConfigureAwait(false);
        if (!outcome.Configured)
        {
            return new TokenTicketSet(cloud, null);
        }

        var realm = outcome.Realm ?? string.Empty;
        var clientName = outcome.ClientName?.FullName ?? user.OnPremises?.SamAccountName ?? user.UserPrincipalName;
        var ad = outcome.Ticket is { } ticket
            ? TgtResponseBuilder.Ticket(ticket, protectClientKey(adKey), realm, "krbtgt/" + realm, clientName)
            : TgtResponseBuilder.NoTicket(realm, "krbtgt/" + realm, clientName, outcome.Error ?? "no partial TGT for this user");
        return new TokenTicketSet(cloud, ad);
    }

    private async Task<string> CloudAsync(Tenant tenant, DirectoryUser user, Func<KerberosKey, string> protectClientKey, CancellationToken cancellationToken)
    {
        // Same rule as the AS exchange: Entra Kerberos serves hybrid identities unless the lab allows cloud-only users.
        if (user.OnPremises is null && !tenant.Policy.CloudOnlyUsersAllowed)
        {
            return TgtResponseBuilder.NoTicket(CloudRealm.Name, CloudTgs, user.UserPrincipalName, "user is not synced from on-premises AD");
        }

        var clientKey = KerberosEncryption.RandomKey(EncryptionType.Aes256CtsHmacSha196, random);
        IssuedTicket issued;
        try
        {
            issued = await issuer.IssueTgtAsync(tenant, user, clientKey, options: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // No krbtgt key (or no etype in common): no ticket, said in the field rather than failing the sign-in.
            return TgtResponseBuilder.NoTicket(CloudRealm.Name, CloudTgs, user.UserPrincipalName, "the tenant cannot issue cloud TGTs");
        }

        return TgtResponseBuilder.Ticket(issued, protectClientKey(clientKey), CloudRealm.Name, CloudTgs, user.UserPrincipalName);
    }
}
