using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

// KERB-KEY-LIST-REQ ::= SEQUENCE OF Int32 -- encryption type --

/// <summary>A TGS-REQ asking for the user's long-term keys (MS-KILE §2.2.11, cloud Kerberos trust), padata 161.</summary>
public sealed class KerbKeyListReq : IAsn1Encodable
{
    public required IReadOnlyList<EncryptionType> EncryptionTypes { get; init; }

    public static KerbKeyListReq Decode(ReadOnlyMemory<byte> encoded) =>
        new() { EncryptionTypes = KerberosAsn1.Decode(encoded, static r => r.ReadSequenceOf(static e => (EncryptionType)e.ReadInt32Value())) };

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            foreach (var etype in EncryptionTypes)
            {
                writer.WriteInteger((int)etype);
            }
        }
    }
}
