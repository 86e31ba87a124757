namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Ticket time arithmetic. KerberosTime has whole seconds, so "now" is truncated once per request:
/// PAC_CLIENT_INFO must equal the ticket's authtime exactly, and that only holds if both come from the same value.
/// </summary>
internal static class Lifetimes
{
    /// <summary>RFC 4120 §5.4.1: a till of 19700101000000Z asks for the longest ticket the KDC allows.</summary>
    public static readonly DateTimeOffset NoLimit = DateTimeOffset.UnixEpoch;

    public static DateTimeOffset Now(TimeProvider clock) => WholeSeconds(clock.GetUtcNow());

    public static DateTimeOffset WholeSeconds(DateTimeOffset instant) => instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>The client's till or rtime as a bound; absent or 1970 means none.</summary>
    public static DateTimeOffset Requested(DateTimeOffset? value) =>
        value is not { } v || v == NoLimit ? DateTimeOffset.MaxValue : v;

    /// <summary>
    /// <paramref name="instant"/> + <paramref name="span"/>, saturating at the end of time: policy lifetimes
    /// come from configuration, and an absurd one must not make every request throw.
    /// </summary>
    public static DateTimeOffset After(DateTimeOffset instant, TimeSpan span) =>
        span >= DateTimeOffset.MaxValue - instant ? DateTimeOffset.MaxValue : instant + span;

    public static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => Min(Min(a, b), c);

    public static bool WithinSkew(DateTimeOffset clientTime, DateTimeOffset now, TimeSpan skew) =>
        (clientTime - now).Duration() <= skew;
}
