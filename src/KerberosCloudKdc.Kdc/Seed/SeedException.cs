namespace KerberosCloudKdc.Kdc.Seed;

/// <summary>
/// A seed file was refused. <see cref="Errors"/> holds one "field.path: problem" line per fault, e.g.
/// "tenants[0].users[2].onPremises.securityIdentifier: not a SID". Never contains a secret.
/// </summary>
public sealed class SeedException : Exception
{
    public SeedException()
        : this([])
    {
    }

    public SeedException(string message)
        : this([message])
    {
    }

    public SeedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public SeedException(IReadOnlyList<string> errors, string? source = null)
        : base(Describe(errors, source))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; } = [];

    private static string Describe(IReadOnlyList<string> errors, string? source) =>
        (source is null ? "Seed refused" : $"Seed {source} refused") + (errors.Count == 0
            ? "."
            : ":" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
}
