namespace KerberosCloudKdc.Server.Login;

/// <summary>Where MIT tools look for the default cache, so klist and kvno find what login wrote without options.</summary>
internal static class CcacheLocation
{
    /// <summary>KRB5CCNAME when it names a file (FILE:path or a bare path); otherwise MIT's default /tmp/krb5cc_&lt;uid&gt;.</summary>
    public static string Default(string? krb5ccname, string uid)
    {
        if (krb5ccname is { Length: > 0 })
        {
            if (krb5ccname.StartsWith("FILE:", StringComparison.Ordinal) && krb5ccname.Length > 5)
            {
                return krb5ccname[5..];
            }

            // A bare path has no "TYPE:" prefix; KEYRING:, DIR:, KCM: and the like are caches we cannot write.
            if (!krb5ccname.Contains(':', StringComparison.Ordinal) || Path.IsPathRooted(krb5ccname))
            {
                return krb5ccname;
            }
        }

        return Path.Combine("/tmp", "krb5cc_" + uid);
    }

    /// <summary>The numeric uid (Linux: from /proc/self/status); the user name where there is no /proc.</summary>
    public static async Task<string> CurrentUidAsync(CancellationToken cancellationToken)
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in await File.ReadAllLinesAsync(status, cancellationToken).ConfigureAwait(false))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 0)
                    {
                        return fields[0];
                    }
                }
            }
        }

        return Environment.UserName;
    }
}
