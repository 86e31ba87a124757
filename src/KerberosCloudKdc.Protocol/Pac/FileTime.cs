namespace KerberosCloudKdc.Protocol.Pac;

// MS-DTYP §2.3.3 FILETIME: 100-ns intervals since 1601-01-01 UTC, carried in PACs as two
// little-endian ULONGs (low, high) — which is the same 8 bytes as one little-endian 64-bit value.

/// <summary>
/// A raw FILETIME. Kept as the raw 64-bit value rather than a DateTimeOffset because PACs use
/// sentinels outside DateTime's range ("never" = 0x7FFFFFFFFFFFFFFF) that must round-trip.
/// </summary>
public readonly record struct FileTime(long Value)
{
    /// <summary>MS-KILE: "never" for LogoffTime, KickOffTime, PasswordMustChange.</summary>
    public static FileTime Never { get; } = new(long.MaxValue);

    /// <summary>Zero: "not set" (e.g. no failed logon recorded).</summary>
    public static FileTime Zero { get; } = new(0);

    public bool IsNever => Value == long.MaxValue;

    public static FileTime FromDateTimeOffset(DateTimeOffset time) => new(time.UtcDateTime.ToFileTimeUtc());

    /// <summary>Null for sentinels and values DateTimeOffset cannot hold.</summary>
    public DateTimeOffset? ToDateTimeOffset() =>
        Value >= 0 && Value <= DateTime.MaxValue.ToFileTimeUtc()
            ? new DateTimeOffset(DateTime.FromFileTimeUtc(Value), TimeSpan.Zero)
            : null;
}
