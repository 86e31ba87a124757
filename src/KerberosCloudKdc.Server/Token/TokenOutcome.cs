using KerberosCloudKdc.Kdc.Engine;

namespace KerberosCloudKdc.Server.Token;

/// <summary>What the token endpoint answers, and what the sign-in log records about it.</summary>
internal sealed record TokenOutcome
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>A compact JWE as the whole body (RFC 7515/7516 media type), for answers to session-key-signed requests.</summary>
    public const string JoseContentType = "application/jose";

    public required int Status { get; init; }

    /// <summary>Of <see cref="Body"/>; refusals are always JSON.</summary>
    public string ContentType { get; init; } = JsonContentType;

    /// <summary>The JSON body of a success; null for a refusal (then <see cref="Error"/>).</summary>
    public byte[]? Body { get; init; }

    public EntraError? Error { get; init; }

    /// <summary>The tenant the request concerned, once known; null when it never was (unknown tenant).</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The username as the client sent it, cut and cleaned like the KDC's (it reaches logs unauthenticated).</summary>
    public string? Client { get; init => field = KdcOutcome.LogSafe(value); }

    /// <summary>tgt_cloud, tgt_cloud+tgt_ad, or the grant name.</summary>
    public string? Service { get; init => field = KdcOutcome.LogSafe(value); }

    /// <summary>False for outcomes that are no sign-in (srv_challenge): they are not logged.</summary>
    public bool IsSignIn { get; init; } = true;

    public static TokenOutcome Refused(EntraError error, Guid? tenantId, string? client, string service) => new()
    {
        Status = error.Status,
        Error = error,
        TenantId = tenantId,
        Client = client,
        Service = service,
    };
}
