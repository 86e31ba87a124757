using System.Diagnostics;
using KerberosCloudKdc.Kdc;
using KerberosCloudKdc.Kdc.Audit;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>
/// The one path from every transport (KKDCP, raw TCP, raw UDP) into the engine: times the call, writes
/// the single structured log line, and turns an engine fault into null (never a crash, never a stack
/// trace on the wire).
/// </summary>
public sealed class KdcDispatcher(IKdcEngine engine, ISignInLog signInLog, TimeProvider clock, ILogger<KdcDispatcher> logger)
{
    /// <summary>The request types a KDC serves; anything else is refused before the engine.</summary>
    public static bool IsKdcRequest(ReadOnlySpan<byte> message) =>
        MessageTypeOf(message) is MessageType.AsReq or MessageType.TgsReq;

    /// <summary>The message type from the [APPLICATION n] tag of a bare Kerberos message, if it has one.</summary>
    public static MessageType? MessageTypeOf(ReadOnlySpan<byte> message) =>
        message.Length >= 2 && (message[0] & 0xE0) == 0x60 && (message[0] & 0x1F) != 0x1F ? (MessageType)(message[0] & 0x1F) : null;

    public async ValueTask<ReadOnlyMemory<byte>?> ProcessAsync(
        ReadOnlyMemory<byte> message, Tenant tenant, string requestId, string? remoteAddress, string transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var started = Stopwatch.GetTimestamp();
        var context = new KdcRequestContext { Tenant = tenant, RequestId = requestId, RemoteAddress = remoteAddress };
        KdcResponse response;
        try
        {
            response = await engine.ProcessAsync(message, context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The engine promises not to throw; if it does, the request fails alone and the host stays up.
        catch (Exception e)
#pragma warning restore CA1031
        {
            KdcLog.EngineFailed(logger, transport, requestId, e.GetType().Name);
            return null;
        }

        var outcome = response.Outcome;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var type = outcome.RequestType ?? MessageTypeOf(message.Span);
        var result = outcome.Succeeded ? "ok" : "refused";
        KdcLog.Request(logger, transport, tenant.Id, requestId, type, outcome.Client, outcome.Service, result, outcome.ErrorCode, outcome.Reason, elapsed);
        if (type is MessageType.AsReq or MessageType.TgsReq)
        {
            await RecordAsync(tenant.Id, type == MessageType.AsReq ? SignInKind.As : SignInKind.Tgs, outcome, remoteAddress, requestId, transport).ConfigureAwait(false);
        }

        return response.Reply;
    }

    /// <summary>One sign-in event per AS/TGS outcome; a failing log never fails the request (the log line above already has it).</summary>
    private async ValueTask RecordAsync(Guid tenantId, SignInKind kind, KdcOutcome outcome, string? remoteAddress, string requestId, string transport)
    {
        var signIn = new SignInEvent
        {
            Id = Guid.CreateVersion7(),
            Time = clock.GetUtcNow(),
            TenantId = tenantId,
            Kind = kind,
            Client = outcome.Client,
            Service = outcome.Service,
            Succeeded = outcome.Succeeded,
            ErrorCode = outcome.ErrorCode,
            Reason = outcome.Reason,
            ClientAddress = remoteAddress,
            RequestId = requestId,
        };
        try
        {
            // Not the request's token: a client hanging up after its answer must not lose the audit record.
            await signInLog.AppendAsync(signIn, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The sign-in log is best effort; the KDC keeps answering if its store fails.
        catch (Exception e)
#pragma warning restore CA1031
        {
            KdcLog.SignInLogFailed(logger, transport, requestId, e.GetType().Name);
        }
    }

    /// <summary>A KRB-ERROR from the host itself (oversize TCP length, UDP reply too big, engine failure), shaped as the engine shapes its own.</summary>
    public byte[] Error(KerberosErrorCode code, string text) =>
        KerberosErrorReply.Encode(new Refusal(code, text), clock.GetUtcNow(), body: null);
}
