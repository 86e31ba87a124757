using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>Identifies a Kerberos message by its [APPLICATION n] tag without decoding it.</summary>
public static class KerberosMessage
{
    public static MessageType PeekType(ReadOnlyMemory<byte> encoded)
    {
        var tag = KerberosAsn1.PeekTag(encoded);
        if (tag.TagClass != TagClass.Application || !tag.IsConstructed || !Enum.IsDefined((MessageType)tag.TagValue))
        {
            throw new KerberosProtocolException("Not a Kerberos message.");
        }

        return (MessageType)tag.TagValue;
    }
}
