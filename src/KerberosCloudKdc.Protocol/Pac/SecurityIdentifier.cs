using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-DTYP §2.4.2: SID. Binary form (§2.4.2.2): Revision (1), SubAuthorityCount (1),
// IdentifierAuthority (6, big-endian), SubAuthority[count] (4 each, little-endian).
// String form (§2.4.2.1): "S-1-<authority>-<sub>-<sub>...", authority in hex ("0x...") when >= 2^32.

/// <summary>
/// A Windows security identifier. Our own small type rather than System.Security.Principal, whose
/// SecurityIdentifier is Windows-only; equality is by value so SIDs can be compared and hashed.
/// </summary>
public sealed class SecurityIdentifier : IEquatable<SecurityIdentifier>
{
    /// <summary>MS-DTYP caps a SID at 15 sub-authorities.</summary>
    public const int MaxSubAuthorities = 15;

    private const ulong MaxAuthority = (1UL << 48) - 1;

    private readonly uint[] subAuthorities;

    public SecurityIdentifier(ulong identifierAuthority, IReadOnlyList<uint> subAuthorities)
    {
        ArgumentNullException.ThrowIfNull(subAuthorities);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(identifierAuthority, MaxAuthority);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subAuthorities.Count, MaxSubAuthorities);
        IdentifierAuthority = identifierAuthority;
        this.subAuthorities = subAuthorities.ToArray();
    }

    /// <summary>Always 1: MS-DTYP defines no other revision, and the parser rejects others.</summary>
    public static byte Revision => 1;

    public ulong IdentifierAuthority { get; }

    public IReadOnlyList<uint> SubAuthorities => subAuthorities;

    /// <summary>The RID: the last sub-authority (0 for a SID without any).</summary>
    public uint Rid => subAuthorities.Length == 0 ? 0 : subAuthorities[^1];

    /// <summary>Size of the binary form: 8 header bytes plus 4 per sub-authority.</summary>
    public int BinaryLength => 8 + (4 * subAuthorities.Length);

    /// <summary>A domain SID plus one RID: how PACs turn group RIDs into full SIDs.</summary>
    public SecurityIdentifier WithRid(uint rid)
    {
        if (subAuthorities.Length >= MaxSubAuthorities)
        {
            throw new InvalidOperationException("A SID cannot have more than 15 sub-authorities.");
        }

        return new SecurityIdentifier(IdentifierAuthority, [.. subAuthorities, rid]);
    }

    public static SecurityIdentifier Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var sid) ? sid : throw new FormatException("Not a SID string.");
    }

    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SecurityIdentifier? sid)
    {
        sid = null;
        if (value is null)
        {
            return false;
        }

        var parts = value.Split('-');
        if (parts.Length < 3 || parts.Length - 3 > MaxSubAuthorities
            || !string.Equals(parts[0], "S", StringComparison.OrdinalIgnoreCase) || parts[1] != "1")
        {
            return false;
        }

        if (!TryParseAuthority(parts[2], out var authority))
        {
            return false;
        }

        var subs = new uint[parts.Length - 3];
        for (var i = 0; i < subs.Length; i++)
        {
            if (!IsDigits(parts[i + 3])
                || !uint.TryParse(parts[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out subs[i]))
            {
                return false;
            }
        }

        sid = new SecurityIdentifier(authority, subs);
        return true;
    }

    /// <summary>Reads exactly one binary SID from the start of <paramref name="data"/>.</summary>
    public static SecurityIdentifier FromBinary(ReadOnlySpan<byte> data, out int bytesRead)
    {
        if (data.Length < 8)
        {
            throw new KerberosProtocolException("SID is truncated.");
        }

        if (data[0] != Revision)
        {
            throw new KerberosProtocolException("SID revision is not 1.");
        }

        int count = data[1];
        if (count > MaxSubAuthorities)
        {
            throw new KerberosProtocolException("SID has too many sub-authorities.");
        }

        bytesRead = 8 + (4 * count);
        if (data.Length < bytesRead)
        {
            throw new KerberosProtocolException("SID is truncated.");
        }

        var authority = ReadAuthority(data.Slice(2, 6));
        var subs = new uint[count];
        for (var i = 0; i < count; i++)
        {
            subs[i] = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(8 + (4 * i), 4));
        }

        return new SecurityIdentifier(authority, subs);
    }

    /// <summary>Reads a binary SID that must fill <paramref name="data"/> exactly.</summary>
    public static SecurityIdentifier FromBinary(ReadOnlySpan<byte> data)
    {
        var sid = FromBinary(data, out var read);
        return read == data.Length ? sid : throw new KerberosProtocolException("SID has trailing bytes.");
    }

    public byte[] ToBinary()
    {
        var result = new byte[BinaryLength];
        WriteBinary(result);
        return result;
    }

    public void WriteBinary(Span<byte> destination)
    {
        destination[0] = Revision;
        destination[1] = (byte)subAuthorities.Length;
        WriteAuthority(destination.Slice(2, 6));
        for (var i = 0; i < subAuthorities.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8 + (4 * i), 4), subAuthorities[i]);
        }
    }

    /// <summary>The 6 authority bytes on their own, as NDR's RPC_SID carries them between count and sub-authorities.</summary>
    internal void WriteAuthority(Span<byte> destination)
    {
        for (var i = 0; i < 6; i++)
        {
            destination[i] = (byte)(IdentifierAuthority >> (8 * (5 - i)));
        }
    }

    internal static ulong ReadAuthority(ReadOnlySpan<byte> source)
    {
        ulong authority = 0;
        for (var i = 0; i < 6; i++)
        {
            authority = (authority << 8) | source[i];
        }

        return authority;
    }

    public override string ToString()
    {
        var builder = new StringBuilder("S-1-");
        if (IdentifierAuthority > uint.MaxValue)
        {
            builder.Append(CultureInfo.InvariantCulture, $"0x{IdentifierAuthority:X12}");
        }
        else
        {
            builder.Append(IdentifierAuthority.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var sub in subAuthorities)
        {
            builder.Append('-').Append(sub.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    public bool Equals(SecurityIdentifier? other) =>
        other is not null && IdentifierAuthority == other.IdentifierAuthority
        && subAuthorities.AsSpan().SequenceEqual(other.subAuthorities);

    public override bool Equals(object? obj) => Equals(obj as SecurityIdentifier);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(IdentifierAuthority);
        foreach (var sub in subAuthorities)
        {
            hash.Add(sub);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(SecurityIdentifier? left, SecurityIdentifier? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(SecurityIdentifier? left, SecurityIdentifier? right) => !(left == right);

    private static bool TryParseAuthority(string text, out ulong authority)
    {
        authority = 0;
        var parsed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out authority)
            : IsDigits(text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out authority);
        return parsed && authority <= MaxAuthority;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
