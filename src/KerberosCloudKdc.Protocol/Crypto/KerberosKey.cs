namespace KerberosCloudKdc.Protocol.Crypto;

/// <summary>
/// A protocol key: its encryption type and raw bytes (RFC 3961 "protocol key"). Immutable; the
/// bytes are copied in so a caller reusing its buffer cannot change a key someone else holds.
/// </summary>
public sealed class KerberosKey
{
    private readonly byte[] value;

    public KerberosKey(EncryptionType encryptionType, ReadOnlySpan<byte> value)
    {
        EncryptionType = encryptionType;
        this.value = value.ToArray();
    }

    public EncryptionType EncryptionType { get; }

    public ReadOnlySpan<byte> Value => value;

    /// <summary>Never prints the key bytes, so a key logged by mistake leaks nothing.</summary>
    public override string ToString() => $"KerberosKey({EncryptionType}, {value.Length} bytes)";
}
