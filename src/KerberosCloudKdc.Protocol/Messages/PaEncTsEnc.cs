using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// PA-ENC-TIMESTAMP        ::= EncryptedData -- PA-ENC-TS-ENC
// PA-ENC-TS-ENC           ::= SEQUENCE {
//         patimestamp     [0] KerberosTime -- client's time --,
//         pausec          [1] Microseconds OPTIONAL
// }

/// <summary>The encrypted-timestamp pre-authentication plaintext (RFC 4120 §5.2.7.2), key usage 1.</summary>
public sealed class PaEncTsEnc : IAsn1Encodable
{
    public required DateTimeOffset Timestamp { get; init; }

    public int? Microseconds { get; init; }

    public static PaEncTsEnc Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static PaEncTsEnc Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new PaEncTsEnc
        {
            Timestamp = sequence.ReadExplicit(0, static r => r.ReadKerberosTime()),
            Microseconds = sequence.ReadOptionalValue(1, static r => r.ReadMicroseconds()),
        };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitKerberosTime(0, Timestamp);
            if (Microseconds is { } usec)
            {
                writer.WriteExplicitInt32(1, usec);
            }
        }
    }
}
