namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>
/// An Entra-registered device, emulated: the device certificate that signs PRT requests (its subject CN is
/// the device id, as Entra's MS-Organization-Access certificates have it) and the transport public key the
/// PRT session key is wrapped to (facts §3.1, §3.3).
/// </summary>
public sealed record RegisteredDevice
{
    /// <summary>Graph's object id of the device.</summary>
    public required Guid ObjectId { get; init; }

    /// <summary>Graph's deviceId; the CN of the device certificate.</summary>
    public required Guid DeviceId { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    public bool AccountEnabled { get; init; } = true;

    /// <summary>DER X.509 device certificate; PRT request JWTs must carry exactly this certificate in x5c.</summary>
    public required byte[] Certificate { get; init; }

    /// <summary>DER SubjectPublicKeyInfo of the RSA transport key.</summary>
    public required byte[] TransportKey { get; init; }

    public required DateTimeOffset RegisteredOn { get; init; }
}
