namespace KerberosCloudKdc.Kdc.Storage;

internal static class StorageFiles
{
    /// <summary>Creates the data directory owner-only (0700) if it is missing; an existing one is left as it is.</summary>
    public static void EnsureDirectory(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

internal static class SqliteParameterExtensions
{
    /// <summary>AddWithValue, except that GUIDs go in as 16-byte blobs (the driver's default is text) and null as NULL.</summary>
    public static Microsoft.Data.Sqlite.SqliteParameter Bind(this Microsoft.Data.Sqlite.SqliteParameterCollection parameters, string name, object? value) =>
        parameters.AddWithValue(name, value switch
        {
            null => DBNull.Value,
            Guid guid => guid.ToByteArray(),
            _ => value,
        });
}
