using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Files;

/// <summary>One key of one principal at one version, as a keytab stores it.</summary>
public sealed class KeytabEntry
{
    public KeytabEntry(string realm, PrincipalName principal, uint kvno, KerberosKey key, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(key);

        // The format counts components and key bytes in 16 bits; refuse what could not be written back.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(principal.Components.Count, FileLimits.MaxComponents, nameof(principal));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Value.Length, FileLimits.MaxKeyLength, nameof(key));
        if ((uint)key.EncryptionType > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(key), "The keytab stores the enctype in 16 bits.");
        }

        Realm = realm;
        Principal = principal;
        Kvno = kvno;
        Key = key;
        Timestamp = FileTime.Check(timestamp, nameof(timestamp));
    }

    public string Realm { get; }

    public PrincipalName Principal { get; }

    /// <summary>The full 32-bit key version; the file's 8-bit field only holds its low byte.</summary>
    public uint Kvno { get; }

    public KerberosKey Key { get; }

    /// <summary>When the key was written; informational only (klist -t shows it).</summary>
    public DateTimeOffset Timestamp { get; }

    public override string ToString() => $"{Principal}@{Realm} kvno {Kvno} {Key.EncryptionType}";
}
