using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// PA-PAC-OPTIONS ::= SEQUENCE {
//         KerberosFlags [0] PAC-OPTIONS-FLAGS -- claims(0), branch-aware(1),
//                                             -- forward-to-full-dc(2), resource-based-constrained-delegation(3)
// }

/// <summary>PAC options a Windows client asks for (MS-KILE §2.2.10), padata type 167.</summary>
public sealed class PaPacOptions : IAsn1Encodable
{
    [Flags]
    public enum Options : uint
    {
        None = 0,
        Claims = 0x80000000,
        BranchAware = 0x40000000,
        ForwardToFullDc = 0x20000000,
        ResourceBasedConstrainedDelegation = 0x10000000,
    }

    public required Options Flags { get; init; }

    public static PaPacOptions Decode(ReadOnlyMemory<byte> encoded) => KerberosAsn1.Decode(encoded, Read);

    public static PaPacOptions Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var value = new PaPacOptions { Flags = (Options)sequence.ReadExplicit(0, static r => r.ReadKerberosFlags()) };
        sequence.ThrowIfNotEmpty();
        return value;
    }

    public byte[] Encode() => KerberosAsn1.Encode(this);

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitFlags(0, (uint)Flags);
        }
    }
}
