using System.Buffers.Binary;

namespace KerberosCloudKdc.Protocol.Kkdcp;

/// <summary>
/// RFC 4120 §7.2.2 TCP record marking: a 4-byte big-endian length whose top bit is reserved, then the
/// message. Used on raw TCP port 88 and inside MS-KKDCP's kerb-message.
/// </summary>
public static class TcpFraming
{
    public const int PrefixLength = 4;

    /// <summary>MIT krb5kdc's own cap on a TCP request; a larger declared length is refused before reading it.</summary>
    public const int DefaultMaxMessageLength = 1024 * 1024;

    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var framed = new byte[PrefixLength + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, message.Length);
        message.CopyTo(framed.AsSpan(PrefixLength));
        return framed;
    }

    /// <summary>True when <paramref name="framed"/> is exactly one length-prefixed message.</summary>
    public static bool TryUnframe(ReadOnlyMemory<byte> framed, out ReadOnlyMemory<byte> message)
    {
        message = default;
        if (framed.Length < PrefixLength)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(framed.Span);
        if (length != (uint)(framed.Length - PrefixLength))
        {
            return false;
        }

        message = framed[PrefixLength..];
        return true;
    }

    /// <summary>
    /// Reads a frame header from a stream-like source: the declared length, or an exception when the
    /// reserved top bit is set or the length passes <paramref name="maxLength"/>.
    /// </summary>
    public static int ReadLength(ReadOnlySpan<byte> prefix, int maxLength = DefaultMaxMessageLength)
    {
        if (prefix.Length < PrefixLength)
        {
            throw new KerberosProtocolException("Truncated length prefix.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if ((length & 0x80000000) != 0)
        {
            throw new KerberosProtocolException("Reserved bit set in the length prefix.");
        }

        return length <= (uint)maxLength ? (int)length : throw new KerberosProtocolException("Message too large.");
    }
}
