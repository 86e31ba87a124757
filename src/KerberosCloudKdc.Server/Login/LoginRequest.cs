namespace KerberosCloudKdc.Server.Login;

/// <summary>What one login asks for. With a <see cref="Device"/> it is the PRT flow; without, the lab password grant.</summary>
internal sealed record LoginRequest
{
    public required string Tenant { get; init; }

    public required string Username { get; init; }

    public required string Password { get; init; }

    public DeviceIdentity? Device { get; init; }
}
