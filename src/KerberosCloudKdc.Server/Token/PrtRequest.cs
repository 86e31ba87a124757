namespace KerberosCloudKdc.Server.Token;

/// <summary>A PRT request JWT whose signature verified with the certificate it carries (docs/token-path.md §1.2).</summary>
internal sealed record PrtRequest
{
    /// <summary>DER of the x5c certificate.</summary>
    public required byte[] Certificate { get; init; }

    /// <summary>The certificate's subject CN, which names the device.</summary>
    public required Guid DeviceId { get; init; }

    public string? ClientId { get; init; }

    public string? Nonce { get; init; }

    /// <summary>The inner grant: password or refresh_token.</summary>
    public string? GrantType { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? RefreshToken { get; init; }
}
