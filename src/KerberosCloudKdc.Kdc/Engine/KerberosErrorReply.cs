using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Turns a <see cref="Refusal"/> into KRB-ERROR bytes. stime is the KDC's clock (MIT clients use it to
/// correct their skew after KRB_AP_ERR_SKEW); cname/crealm are echoed only when the request named them.
/// </summary>
public static class KerberosErrorReply
{
    public static byte[] Encode(Refusal refusal, DateTimeOffset now, KdcReqBody? body)
    {
        var error = new KrbError
        {
            ServerTime = now,
            ServerMicroseconds = (int)(now.Ticks % TimeSpan.TicksPerSecond / 10),
            ErrorCode = refusal.Code,
            ClientRealm = body?.ClientName is not null ? body.Realm : null,
            ClientName = body?.ClientName,
            Realm = CloudRealm.Name,
            ServerName = body?.ServerName ?? PrincipalName.Krbtgt(CloudRealm.Name),
            Text = refusal.Reason,
            Data = refusal.ErrorData,
        };
        return error.Encode();
    }
}
