using KerberosCloudKdc.Protocol.Files;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Login;

/// <summary>A TGT from the token response, opened: the AS-REP, its decrypted enc-part and the cache entry built from them.</summary>
internal sealed record OpenedTgt(TgtEnvelope Envelope, AsRep Reply, EncKdcRepPart Part, byte[] ClientKey)
{
    public string ClientRealm => Reply.ClientRealm;

    public PrincipalName Client => Reply.ClientName;

    /// <summary>The MIT ccache entry: cname@crealm for the ticket of sname@srealm, with the session key and times of the enc-part.</summary>
    public CachedCredential ToCredential() => new()
    {
        ClientRealm = Reply.ClientRealm,
        Client = Reply.ClientName,
        ServerRealm = Part.ServerRealm,
        Server = Part.ServerName,
        Key = Part.Key.ToKey(),
        AuthTime = Part.AuthTime,
        StartTime = Part.StartTime ?? Part.AuthTime,
        EndTime = Part.EndTime,
        RenewTill = Part.RenewTill ?? DateTimeOffset.UnixEpoch,
        TicketFlags = (uint)Part.Flags,
        Ticket = Reply.Ticket.Encode(),
    };

    public CredentialCache ToCache() => new(Reply.ClientRealm, Reply.ClientName, [ToCredential()]);
}
