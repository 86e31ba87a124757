using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>A long-term key as the directory keeps it: never a password, always the derived key with its kvno and salt.</summary>
public sealed record StoredKey
{
    public required KerberosKey Key { get; init; }

    public required uint Kvno { get; init; }

    /// <summary>The salt the key was derived with, told to clients in ETYPE-INFO2; null for raw keys.</summary>
    public string? Salt { get; init; }

    /// <summary>After this instant the key issues nothing (service principal passwords expire, facts §5.3).</summary>
    public DateTimeOffset? ExpiresOn { get; init; }

    public EncryptionType EncryptionType => Key.EncryptionType;
}
