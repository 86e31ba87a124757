using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// The realm service: one Kerberos message in, one reply out, for the tenant the host resolved.
/// Dispatches on the message tag, and turns every refusal and every malformed input into a KRB-ERROR
/// with a short e-text, so hosts never see an exception for what a client sent.
/// </summary>
public sealed class KdcEngine : IKdcEngine
{
    private readonly TimeProvider clock;
    private readonly AsExchange asExchange;
    private readonly TgsExchange tgsExchange;

    public KdcEngine(IDirectoryStore store, TimeProvider clock, IKerberosRandom random)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(random);
        this.clock = clock;
        var pacFactory = new PacFactory(store);
        Issuer = new TicketIssuer(store, clock, random, pacFactory);
        asExchange = new AsExchange(store, Issuer);
        tgsExchange = new TgsExchange(store, Issuer, pacFactory, random);
    }

    /// <summary>The minting half on its own, for the token endpoint's cloud TGTs.</summary>
    public TicketIssuer Issuer { get; }

    public async ValueTask<KdcResponse> ProcessAsync(ReadOnlyMemory<byte> request, KdcRequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var instant = clock.GetUtcNow();
        var now = Lifetimes.WholeSeconds(instant);
        MessageType? type = null;
        KdcReqBody? body = null;
        ExchangeResult result;
        try
        {
            type = KerberosMessage.PeekType(request);
            switch (type)
            {
                case MessageType.AsReq:
                    var asReq = AsReq.Decode(request);
                    body = asReq.Body;
                    result = await asExchange.ProcessAsync(asReq, context.Tenant, now, cancellationToken).ConfigureAwait(false);
                    break;
                case MessageType.TgsReq:
                    var tgsReq = TgsReq.Decode(request);
                    body = tgsReq.Body;
                    result = await tgsExchange.ProcessAsync(tgsReq, context.Tenant, now, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    result = new ExchangeResult(new Refusal(KerberosErrorCode.KRB_AP_ERR_MSG_TYPE, "not a KDC request"));
                    break;
            }
        }
        catch (KerberosIntegrityException)
        {
            // Integrity failures not mapped closer to their source (e.g. a PA-ENC-TIMESTAMP of the wrong length).
            result = new ExchangeResult(new Refusal(KerberosErrorCode.KRB_AP_ERR_BAD_INTEGRITY, "integrity check failed"));
        }
        catch (KerberosProtocolException)
        {
            result = new ExchangeResult(Refusal.Malformed);
        }

        var outcome = new KdcOutcome
        {
            RequestType = type,
            Client = result.Client ?? DescribeClient(body),
            Service = body?.ServerName?.FullName,
            ErrorCode = result.Refusal?.Code,
            Reason = result.Refusal?.Reason,
        };

        var reply = result.Reply ?? KerberosErrorReply.Encode(result.Refusal!, instant, body);
        return new KdcResponse { Reply = reply, Outcome = outcome };
    }

    private static string? DescribeClient(KdcReqBody? body) =>
        body?.ClientName is { } name ? name.FullName + "@" + body.Realm : null;
}
