using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Listeners;

/// <summary>
/// Raw Kerberos over TCP (RFC 4120 §7.2.2) for the default tenant: 4-byte length, message, possibly
/// several per connection. Declared lengths over MaxRequestBytes (or with the reserved bit) get a
/// KRB_ERR_FIELD_TOOLONG and the connection is closed; reads time out; connections are bounded.
/// </summary>
public sealed class TcpKdcListener(
    IOptions<CloudKdcOptions> options, KdcDispatcher dispatcher, IDirectoryStore store, ILogger<TcpKdcListener> logger) : BackgroundService
{
    private const string Transport = "tcp";
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource<IPEndPoint> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The bound endpoint, once listening (useful when the port is 0 in tests).</summary>
    public Task<IPEndPoint> BoundEndpoint => bound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.TcpPort is not { } port)
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.Parse(settings.KdcListenAddress), port);
        listener.Start(backlog: 128);
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        bound.TrySetResult(endpoint);
        KdcLog.ListenerStarted(logger, Transport, endpoint);
        // Not disposed: connections still finishing release their slot into it; holding every slot again
        // at shutdown is how we know they are done.
        var slots = new SemaphoreSlim(settings.MaxTcpConnections, settings.MaxTcpConnections);
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                KdcLog.ListenerError(logger, Transport, e.SocketErrorCode.ToString());
                continue;
            }

            if (!slots.Wait(0, CancellationToken.None))
            {
                var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address.ToString();
                KdcLog.RawRefused(logger, Transport, remote, "too many connections");
                socket.Dispose();
                continue;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(socket, settings, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    socket.Dispose();
                    slots.Release();
                }
            }, CancellationToken.None);
        }

        await DrainAsync(slots, settings.MaxTcpConnections).ConfigureAwait(false);
    }

    /// <summary>Waits (briefly) until every connection has returned its slot, so no reply is cut mid-write.</summary>
    private static async Task DrainAsync(SemaphoreSlim slots, int count)
    {
        var deadline = DateTime.UtcNow + ShutdownGrace;
        for (var i = 0; i < count; i++)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || !await slots.WaitAsync(remaining).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task ServeAsync(Socket socket, CloudKdcOptions settings, CancellationToken stoppingToken)
    {
        var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address.ToString();
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var prefix = new byte[TcpFraming.PrefixLength];
        try
        {
            while (true)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(settings.TcpReadTimeout);
                var got = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, timeout.Token).ConfigureAwait(false);
                if (got < prefix.Length)
                {
                    return; // closed (possibly between messages)
                }

                int length;
                try
                {
                    length = TcpFraming.ReadLength(prefix, settings.MaxRequestBytes);
                }
                catch (KerberosProtocolException)
                {
                    KdcLog.RawRefused(logger, Transport, remote, "declared length too large or reserved bit set");
                    await WriteFramedAsync(stream, dispatcher.Error(KerberosErrorCode.KRB_ERR_FIELD_TOOLONG, "Message too large."), timeout.Token).ConfigureAwait(false);
                    return;
                }

                // Pooled: a declared length is only a promise, and up to MaxTcpConnections of them can be pending.
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    if (await stream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, timeout.Token).ConfigureAwait(false) < length)
                    {
                        return;
                    }

                    if (!await AnswerAsync(stream, buffer.AsMemory(0, length), remote, timeout.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // read timeout or shutdown: close quietly
        }
        catch (IOException)
        {
            // peer reset
        }
        catch (SocketException)
        {
            // peer reset
        }
    }

    /// <summary>Answers one framed request; false closes the connection.</summary>
    private async Task<bool> AnswerAsync(NetworkStream stream, ReadOnlyMemory<byte> message, string? remote, CancellationToken cancellationToken)
    {

        if (!KdcDispatcher.IsKdcRequest(message.Span))
        {
            KdcLog.RawRefused(logger, Transport, remote, "not an AS-REQ or TGS-REQ");
            return false;
        }

        var tenant = await store.GetDefaultTenantAsync(cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return false;
        }

        var reply = await dispatcher.ProcessAsync(message, tenant, Guid.NewGuid().ToString("D"), remote, Transport, cancellationToken).ConfigureAwait(false)
            ?? dispatcher.Error(KerberosErrorCode.KRB_ERR_GENERIC, "Internal error.");
        await WriteFramedAsync(stream, reply, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task WriteFramedAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var framed = TcpFraming.Frame(message.Span);
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
