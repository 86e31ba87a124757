using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// AS-REQ          ::= [APPLICATION 10] KDC-REQ

/// <summary>The initial ticket request (RFC 4120 §5.4.1).</summary>
public sealed class AsReq : KdcRequest
{
    public override MessageType MessageType => MessageType.AsReq;

    public static AsReq Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static AsReq Read(AsnReader reader)
    {
        var (paData, body) = ReadParts(reader, MessageType.AsReq);
        return new AsReq { PaData = paData, Body = body };
    }
}
