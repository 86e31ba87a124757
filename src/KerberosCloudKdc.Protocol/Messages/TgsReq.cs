using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// TGS-REQ         ::= [APPLICATION 12] KDC-REQ

/// <summary>A service ticket request, authenticated by a PA-TGS-REQ AP-REQ (RFC 4120 §5.4.1).</summary>
public sealed class TgsReq : KdcRequest
{
    public override MessageType MessageType => MessageType.TgsReq;

    public static TgsReq Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static TgsReq Read(AsnReader reader)
    {
        var (paData, body) = ReadParts(reader, MessageType.TgsReq);
        return new TgsReq { PaData = paData, Body = body };
    }

    /// <summary>The AP-REQ carried in PA-TGS-REQ, or null when the request has none.</summary>
    public ApReq? FindApReq() => FindPaData(PaDataType.TgsReq) is { } pa ? ApReq.Decode(pa.Value) : null;
}
