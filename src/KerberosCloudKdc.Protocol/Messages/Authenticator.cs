using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// Authenticator   ::= [APPLICATION 2] SEQUENCE  {
//         authenticator-vno       [0] INTEGER (5),
//         crealm                  [1] Realm,
//         cname                   [2] PrincipalName,
//         cksum                   [3] Checksum OPTIONAL,
//         cusec                   [4] Microseconds,
//         ctime                   [5] KerberosTime,
//         subkey                  [6] EncryptionKey OPTIONAL,
//         seq-number              [7] UInt32 OPTIONAL,
//         authorization-data      [8] AuthorizationData OPTIONAL
// }

/// <summary>The client's proof of the session key inside an AP-REQ (RFC 4120 §5.5.1); usage 7 in a TGS-REQ, 11 otherwise.</summary>
public sealed class Authenticator : IAsn1Encodable
{
    public const int Version = 5;

    public required string ClientRealm { get; init; }

    public required PrincipalName ClientName { get; init; }

    public Checksum? Checksum { get; init; }

    public required int ClientMicroseconds { get; init; }

    public required DateTimeOffset ClientTime { get; init; }

    public EncryptionKey? Subkey { get; init; }

    public uint? SequenceNumber { get; init; }

    public IReadOnlyList<AuthorizationData>? AuthorizationData { get; init; }

    public static Authenticator Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static Authenticator Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence(ApplicationTag.Authenticator, out var application);
        if (sequence.ReadExplicit(0, static r => r.ReadInt32Value()) != Version)
        {
            throw new KerberosProtocolException("Unsupported authenticator version.");
        }

        var value = new Authenticator
        {
            ClientRealm = sequence.ReadExplicit(1, static r => r.ReadGeneralString()),
            ClientName = sequence.ReadExplicit(2, PrincipalName.Read),
            Checksum = sequence.ReadOptional(3, Messages.Checksum.Read),
            ClientMicroseconds = sequence.ReadExplicit(4, static r => r.ReadMicroseconds()),
            ClientTime = sequence.ReadExplicit(5, static r => r.ReadKerberosTime()),
            Subkey = sequence.ReadOptional(6, EncryptionKey.Read),
            SequenceNumber = sequence.ReadOptionalValue(7, static r => r.ReadUInt32Lenient()),
            AuthorizationData = sequence.ReadOptional(8, Messages.AuthorizationData.ReadList),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication(ApplicationTag.Authenticator))
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, Version);
            writer.WriteExplicitGeneralString(1, ClientRealm);
            writer.WriteExplicit(2, ClientName);
            if (Checksum is not null)
            {
                writer.WriteExplicit(3, Checksum);
            }

            writer.WriteExplicitInt32(4, ClientMicroseconds);
            writer.WriteExplicitKerberosTime(5, ClientTime);
            if (Subkey is not null)
            {
                writer.WriteExplicit(6, Subkey);
            }

            if (SequenceNumber is { } sequenceNumber)
            {
                writer.WriteExplicitUInt32(7, sequenceNumber);
            }

            if (AuthorizationData is not null)
            {
                using (writer.PushExplicit(8))
                {
                    writer.WriteSequenceOf(AuthorizationData);
                }
            }
        }
    }
}
