using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Kkdcp;

// KDC-PROXY-MESSAGE ::= SEQUENCE {
//         kerb-message    [0] OCTET STRING,
//         target-domain   [1] KERB-REALM OPTIONAL,
//         dclocator-hint  [2] INTEGER OPTIONAL
// }

/// <summary>
/// The MS-KKDCP envelope (§2.2.2). kerb-message should hold the Kerberos message with its 4-byte TCP
/// length prefix, but some clients omit it; <see cref="Unwrap"/> reports which framing arrived so the
/// reply can mirror it.
/// </summary>
public sealed class KdcProxyMessage : IAsn1Encodable
{
    public required ReadOnlyMemory<byte> KerbMessage { get; init; }

    public string? TargetDomain { get; init; }

    public int? DcLocatorHint { get; init; }

    public static KdcProxyMessage Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KdcProxyMessage Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new KdcProxyMessage
        {
            KerbMessage = sequence.ReadExplicit(0, static r => r.ReadOctets()),
            TargetDomain = sequence.ReadOptional(1, static r => r.ReadGeneralString()),
            DcLocatorHint = sequence.ReadOptionalValue(2, static r => r.ReadInt32Value()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>Wraps a Kerberos message for the wire, with or without the TCP length prefix.</summary>
    public static KdcProxyMessage Wrap(ReadOnlySpan<byte> kerberosMessage, KdcProxyFraming framing, string? targetDomain = null) =>
        new()
        {
            KerbMessage = framing == KdcProxyFraming.LengthPrefixed ? TcpFraming.Frame(kerberosMessage) : kerberosMessage.ToArray(),
            TargetDomain = targetDomain,
        };

    /// <summary>Returns the bare Kerberos message and how it was framed.</summary>
    public ReadOnlyMemory<byte> Unwrap(out KdcProxyFraming framing)
    {
        if (TcpFraming.TryUnframe(KerbMessage, out var inner))
        {
            framing = KdcProxyFraming.LengthPrefixed;
            return inner;
        }

        if (!KerbMessage.IsEmpty && (KerbMessage.Span[0] & 0xE0) == 0x60)
        {
            framing = KdcProxyFraming.Bare;
            return KerbMessage;
        }

        throw new KerberosProtocolException("kerb-message is neither length-prefixed nor a Kerberos message.");
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitOctets(0, KerbMessage.Span);
            if (TargetDomain is not null)
            {
                writer.WriteExplicitGeneralString(1, TargetDomain);
            }

            if (DcLocatorHint is { } hint)
            {
                writer.WriteExplicitInt32(2, hint);
            }
        }
    }
}

/// <summary>How a kerb-message was framed, so the reply can use the same form.</summary>
public enum KdcProxyFraming
{
    /// <summary>4-byte big-endian length, then the message (MS-KKDCP's rule, RFC 4120 §7.2.2).</summary>
    LengthPrefixed,

    /// <summary>The message alone, as some non-Windows clients send it.</summary>
    Bare,
}
