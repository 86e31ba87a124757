using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KERB-KEY-LIST-REP ::= SEQUENCE OF EncryptionKey

/// <summary>The keys a KERB-KEY-LIST-REQ asked for (MS-KILE §2.2.12), carried in encrypted-pa-data, padata 162.</summary>
public sealed class KerbKeyListRep : IAsn1Encodable
{
    public required IReadOnlyList<EncryptionKey> Keys { get; init; }

    public static KerbKeyListRep Decode(ReadOnlyMemory<byte> encoded) =>
        new() { Keys = KerberosAsn1.Decode(encoded, static r => r.ReadSequenceOf(EncryptionKey.Read)) };

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer) => writer.WriteSequenceOf(Keys);
}
