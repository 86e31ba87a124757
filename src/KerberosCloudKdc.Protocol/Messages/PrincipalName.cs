using System.Formats.Asn1;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Messages;

// PrincipalName ::= SEQUENCE {
//         name-type       [0] Int32,
//         name-string     [1] SEQUENCE OF KerberosString
// }

/// <summary>A Kerberos principal name without its realm (RFC 4120 §5.2.2).</summary>
public sealed class PrincipalName : IEquatable<PrincipalName>, IAsn1Encodable
{
    /// <summary>Names with more components than this are not names any KDC issues; refusing them bounds work.</summary>
    public const int MaxComponents = 16;

    public PrincipalName(PrincipalNameType type, IReadOnlyList<string> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        Type = type;
        Components = components.ToArray();
    }

    public PrincipalName(PrincipalNameType type, params string[] components)
        : this(type, (IReadOnlyList<string>)components)
    {
    }

    public PrincipalNameType Type { get; }

    public IReadOnlyList<string> Components { get; }

    /// <summary>"krbtgt/REALM" style, the way MIT tools print a name without its realm (no escaping).</summary>
    public string FullName => string.Join('/', Components);

    /// <summary>The ticket-granting service name of a realm: krbtgt/REALM (NT-SRV-INST).</summary>
    public static PrincipalName Krbtgt(string realm) => new(PrincipalNameType.ServiceInstance, "krbtgt", realm);

    public static PrincipalName Read(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var type = (PrincipalNameType)sequence.ReadExplicit(0, static r => r.ReadInt32Value());
        var components = sequence.ReadExplicit(1, static r => r.ReadSequenceOf(static e => e.ReadGeneralString()));
        sequence.ThrowIfNotEmpty();
        if (components.Count > MaxComponents)
        {
            throw new KerberosProtocolException("Principal name has too many components.");
        }

        return new PrincipalName(type, components);
    }

    public void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteExplicitInt32(0, (int)Type);
            using (writer.PushExplicit(1))
            using (writer.PushSequence())
            {
                foreach (var component in Components)
                {
                    writer.WriteGeneralString(component);
                }
            }
        }
    }

    /// <summary>Names compare by components only (RFC 4120 §6.2: the type is a hint, not part of identity).</summary>
    public bool Equals(PrincipalName? other) =>
        other is not null && Components.SequenceEqual(other.Components, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PrincipalName);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var component in Components)
        {
            hash.Add(component, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => FullName;
}
