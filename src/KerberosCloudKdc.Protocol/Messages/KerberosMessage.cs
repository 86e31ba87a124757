using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>Identifies a Kerberos message by its [APPLICATION n] tag without decoding it.</summary>
public static class KerberosMessage
{
    /// <summary>pvno: Kerberos version 5 is the only one there is.</summary>
    public const int ProtocolVersion = 5;

    public static MessageType PeekType(ReadOnlyMemory<byte> encoded)
    {
        var tag = KerberosAsn1.PeekTag(encoded);
        if (tag.TagClass != TagClass.Application || !tag.IsConstructed || !Enum.IsDefined((MessageType)tag.TagValue))
        {
            throw new KerberosProtocolException("Not a Kerberos message.");
        }

        return (MessageType)tag.TagValue;
    }

    /// <summary>
    /// Reads the pvno and msg-type fields that open every Kerberos message (tags n and n+1), refusing a
    /// version other than 5 or a msg-type that contradicts the application tag.
    /// </summary>
    internal static void ReadHeader(this AsnReader sequence, int pvnoTag, MessageType expected)
    {
        if (sequence.ReadExplicit(pvnoTag, static r => r.ReadInt32Value()) != ProtocolVersion)
        {
            throw new KerberosProtocolException("Unsupported protocol version.");
        }

        if (sequence.ReadExplicit(pvnoTag + 1, static r => r.ReadInt32Value()) != (int)expected)
        {
            throw new KerberosProtocolException("Message type does not match its tag.");
        }
    }

    internal static void WriteHeader(this AsnWriter writer, int pvnoTag, MessageType type)
    {
        writer.WriteExplicitInt32(pvnoTag, ProtocolVersion);
        writer.WriteExplicitInt32(pvnoTag + 1, (int)type);
    }
}
