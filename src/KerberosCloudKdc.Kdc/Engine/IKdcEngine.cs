namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// The realm service as the hosts see it: one Kerberos message in (no framing), one reply out. A pure
/// function of the request, the tenant's directory state and the clock; it never throws for bad
/// input — refusals come back as a KRB-ERROR with the outcome saying why.
/// </summary>
public interface IKdcEngine
{
    ValueTask<KdcResponse> ProcessAsync(ReadOnlyMemory<byte> request, KdcRequestContext context, CancellationToken cancellationToken = default);
}
