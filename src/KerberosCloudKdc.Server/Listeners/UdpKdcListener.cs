using System.Net;
using System.Net.Sockets;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Server.Hosting;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Listeners;

/// <summary>
/// Raw Kerberos over UDP for the default tenant. Replies longer than UdpMaxReplyBytes become
/// KRB_ERR_RESPONSE_TOO_BIG so the client retries over TCP, as MIT's KDC does.
/// </summary>
public sealed class UdpKdcListener(
    IOptions<CloudKdcOptions> options, KdcDispatcher dispatcher, IDirectoryStore store, ILogger<UdpKdcListener> logger) : BackgroundService
{
    private const string Transport = "udp";
    private readonly TaskCompletionSource<IPEndPoint> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IPEndPoint> BoundEndpoint => bound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.UdpPort is not { } port)
        {
            return;
        }

        using var client = new UdpClient(new IPEndPoint(IPAddress.Parse(settings.KdcListenAddress), port));
        var endpoint = (IPEndPoint)client.Client.LocalEndPoint!;
        bound.TrySetResult(endpoint);
        KdcLog.ListenerStarted(logger, Transport, endpoint);
        while (!stoppingToken.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await client.ReceiveAsync(stoppingToken).ConfigureAwait(false);
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

            var remote = datagram.RemoteEndPoint.Address.ToString();
            if (datagram.Buffer.Length > settings.MaxRequestBytes || !KdcDispatcher.IsKdcRequest(datagram.Buffer))
            {
                KdcLog.RawRefused(logger, Transport, remote, "oversize or not an AS-REQ/TGS-REQ");
                continue;
            }

            var tenant = await store.GetDefaultTenantAsync(stoppingToken).ConfigureAwait(false);
            if (tenant is null)
            {
                continue;
            }

            var reply = await dispatcher.ProcessAsync(datagram.Buffer, tenant, Guid.NewGuid().ToString("D"), remote, Transport, stoppingToken).ConfigureAwait(false)
                ?? dispatcher.Error(KerberosErrorCode.KRB_ERR_GENERIC, "Internal error.");
            if (reply.Length > settings.UdpMaxReplyBytes)
            {
                reply = dispatcher.Error(KerberosErrorCode.KRB_ERR_RESPONSE_TOO_BIG, "Response too big for UDP; use TCP.");
            }

            try
            {
                await client.SendAsync(reply, datagram.RemoteEndPoint, stoppingToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                KdcLog.ListenerError(logger, Transport, e.SocketErrorCode.ToString());
            }
        }
    }
}
