using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// Stands in for KerberosCloudKdc.Kdc.Engine.KdcEngine until the branches merge: answers every request
/// with KRB_ERR_GENERIC so the transport can be exercised end to end. Delete at merge time.
/// </summary>
internal sealed class PlaceholderKdcEngine(TimeProvider clock) : IKdcEngine
{
    public ValueTask<KdcResponse> ProcessAsync(ReadOnlyMemory<byte> request, KdcRequestContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var error = new KrbError
        {
            ServerTime = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero),
            ServerMicroseconds = 0,
            ErrorCode = KerberosErrorCode.KRB_ERR_GENERIC,
            Realm = CloudRealm.Name,
            ServerName = PrincipalName.Krbtgt(CloudRealm.Name),
            Text = "KDC engine not wired in this build.",
        };
        return ValueTask.FromResult(new KdcResponse
        {
            Reply = error.Encode(),
            Outcome = new KdcOutcome
            {
                RequestType = KdcDispatcher.MessageTypeOf(request.Span),
                ErrorCode = KerberosErrorCode.KRB_ERR_GENERIC,
                Reason = "engine not wired",
            },
        });
    }
}
