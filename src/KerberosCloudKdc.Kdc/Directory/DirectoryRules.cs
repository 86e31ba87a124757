namespace KerberosCloudKdc.Kdc.Directory;

/// <summary>Shape rules for directory names, shared by the seed loader and the admin API so both refuse the same things.</summary>
public static class DirectoryRules
{
    private static readonly System.Buffers.SearchValues<char> SamForbidden = System.Buffers.SearchValues.Create("\"/\\[]:;|=,+*?<>@");

    public const string SamAccountNameRule = "not a sAMAccountName (1-20 characters, none of \"/\\[]:;|=,+*?<>@)";

    public static bool HasControl(string text) => text.Any(char.IsControl);

    public static bool IsDnsName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        return labels.Length >= 2 && labels.All(l =>
            l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-'
            && l.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'));
    }

    public static bool IsSpn(string? spn)
    {
        if (string.IsNullOrEmpty(spn) || spn.Length > 512 || spn.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '@'))
        {
            return false;
        }

        if (spn.StartsWith("api://", StringComparison.OrdinalIgnoreCase))
        {
            return spn.Length > "api://".Length;
        }

        // krbtgt/… names are the KDC's own; a service principal claiming one could never be served.
        var parts = spn.Split('/');
        return parts.Length is 2 or 3 && parts.All(p => p.Length > 0) && !string.Equals(parts[0], "krbtgt", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>name@domain with a DNS domain; the caller checks the domain is verified.</summary>
    public static bool IsUpn(string? upn, out string domain)
    {
        domain = string.Empty;
        if (string.IsNullOrEmpty(upn) || upn.Split('@') is not [{ Length: > 0 and <= 113 } local, var suffix]
            || HasControl(local) || local.Contains(' ', StringComparison.Ordinal) || !IsDnsName(suffix))
        {
            return false;
        }

        domain = suffix;
        return true;
    }

    public static bool IsSamAccountName(string? sam) =>
        sam is { Length: > 0 and <= 20 } && sam.AsSpan().IndexOfAny(SamForbidden) < 0 && !HasControl(sam) && !sam.EndsWith('.');
}
