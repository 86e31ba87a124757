namespace KerberosCloudKdc.Protocol.Messages;

// PrincipalName ::= SEQUENCE {
//         name-type       [0] Int32,
//         name-string     [1] SEQUENCE OF KerberosString
// }

/// <summary>A Kerberos principal name without its realm (RFC 4120 §5.2.2).</summary>
public sealed partial class PrincipalName : IEquatable<PrincipalName>
{
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
