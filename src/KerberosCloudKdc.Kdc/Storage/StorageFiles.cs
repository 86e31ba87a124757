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
