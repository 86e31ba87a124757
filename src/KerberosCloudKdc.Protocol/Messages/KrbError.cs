using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// KRB-ERROR       ::= [APPLICATION 30] SEQUENCE {
//         pvno            [0] INTEGER (5),
//         msg-type        [1] INTEGER (30),
//         ctime           [2] KerberosTime OPTIONAL,
//         cusec           [3] Microseconds OPTIONAL,
//         stime           [4] KerberosTime,
//         susec           [5] Microseconds,
//         error-code      [6] Int32,
//         crealm          [7] Realm OPTIONAL,
//         cname           [8] PrincipalName OPTIONAL,
//         realm           [9] Realm -- service realm --,
//         sname           [10] PrincipalName -- service name --,
//         e-text          [11] KerberosString OPTIONAL,
//         e-data          [12] OCTET STRING OPTIONAL
// }

/// <summary>An error reply (RFC 4120 §5.9.1). e-data is METHOD-DATA or TYPED-DATA depending on the code.</summary>
public sealed class KrbError : IAsn1Encodable
{
    /// <summary>Bounds e-text so a reply never carries more than a short human-readable reason.</summary>
    public const int MaxTextLength = 256;

    public DateTimeOffset? ClientTime { get; init; }

    public int? ClientMicroseconds { get; init; }

    public required DateTimeOffset ServerTime { get; init; }

    public required int ServerMicroseconds { get; init; }

    public required KerberosErrorCode ErrorCode { get; init; }

    public string? ClientRealm { get; init; }

    public PrincipalName? ClientName { get; init; }

    public required string Realm { get; init; }

    public required PrincipalName ServerName { get; init; }

    public string? Text { get; init; }

    public ReadOnlyMemory<byte>? Data { get; init; }

    public static KrbError Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static KrbError Read(AsnReader reader)
    {
        var sequence = reader.ReadApplicationSequence((int)MessageType.KrbError, out var application);
        sequence.ReadHeader(0, MessageType.KrbError);

        var value = new KrbError
        {
            ClientTime = sequence.ReadOptionalValue(2, static r => r.ReadKerberosTime()),
            ClientMicroseconds = sequence.ReadOptionalValue(3, static r => r.ReadMicroseconds()),
            ServerTime = sequence.ReadExplicit(4, static r => r.ReadKerberosTime()),
            ServerMicroseconds = sequence.ReadExplicit(5, static r => r.ReadMicroseconds()),
            ErrorCode = (KerberosErrorCode)sequence.ReadExplicit(6, static r => r.ReadInt32Value()),
            ClientRealm = sequence.ReadOptional(7, static r => r.ReadGeneralString()),
            ClientName = sequence.ReadOptional(8, PrincipalName.Read),
            Realm = sequence.ReadExplicit(9, static r => r.ReadGeneralString()),
            ServerName = sequence.ReadExplicit(10, PrincipalName.Read),
            Text = sequence.ReadOptional(11, static r => r.ReadGeneralString()),
            Data = sequence.ReadOptionalValue(12, static r => r.ReadOctets()),
        };
        sequence.ThrowIfNotEmpty();
        application.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushApplication((int)MessageType.KrbError))
        using (writer.PushSequence())
        {
            writer.WriteHeader(0, MessageType.KrbError);
            if (ClientTime is { } clientTime)
            {
                writer.WriteExplicitKerberosTime(2, clientTime);
            }

            if (ClientMicroseconds is { } clientMicroseconds)
            {
                writer.WriteExplicitInt32(3, clientMicroseconds);
            }

            writer.WriteExplicitKerberosTime(4, ServerTime);
            writer.WriteExplicitInt32(5, ServerMicroseconds);
            writer.WriteExplicitInt32(6, (int)ErrorCode);
            if (ClientRealm is not null)
            {
                writer.WriteExplicitGeneralString(7, ClientRealm);
            }

            if (ClientName is not null)
            {
                writer.WriteExplicit(8, ClientName);
            }

            writer.WriteExplicitGeneralString(9, Realm);
            writer.WriteExplicit(10, ServerName);
            if (Text is not null)
            {
                // Never cut between the halves of a surrogate pair: UTF-8 would carry U+FFFD instead.
                var cut = Text.Length > MaxTextLength && char.IsHighSurrogate(Text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
                writer.WriteExplicitGeneralString(11, Text.Length > MaxTextLength ? Text[..cut] : Text);
            }

            if (Data is { } data)
            {
                writer.WriteExplicitOctets(12, data.Span);
            }
        }
    }
}
