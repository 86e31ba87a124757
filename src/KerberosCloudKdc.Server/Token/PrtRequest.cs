namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// A PRT request JWT whose signature verified (docs/token-path.md §1.2): RS256 with the certificate it carries,
/// or HS256 with the key derived from the session key of the PRT it presents.
/// </summary>
internal sealed record PrtRequest
{
    /// <summary>DER of the x5c certificate; null for a session-key-signed (HS256) request, which carries none.</summary>
    public byte[]? Certificate { get; init; }

    /// <summary>The certificate's subject CN, or for HS256 the device the PRT was issued to.</summary>
    public required Guid DeviceId { get; init; }

    /// <summary>The PRT already opened to find the signing key (HS256 only); the caller need not unseal it again.</summary>
    public PrimaryRefreshToken? Presented { get; init; }

    /// <summary>HS256: the answer is one JWE under the session key (facts §3.4) instead of plain JSON.</summary>
    public bool SessionKeySigned => Presented is not null;

    public string? ClientId { get; init; }

    public string? Nonce { get; init; }

    /// <summary>The inner grant: password or refresh_token.</summary>
    public string? GrantType { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? RefreshToken { get; init; }
}
