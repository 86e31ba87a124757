using System.Text;
using Microsoft.Extensions.Options;

namespace KerberosCloudKdc.Server.Hosting;

/// <summary>The data directory: created owner-only (0700 on Unix); secret files are written 0600 and atomically.</summary>
public sealed class DataDirectory
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicFile = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public DataDirectory(IOptions<CloudKdcOptions> options)
        : this(options.Value.ResolvedDataDirectory)
    {
    }

    public DataDirectory(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    /// <summary>Creates the root (owner-only) if needed and returns it.</summary>
    public string EnsureRoot()
    {
        EnsureDirectory(Root);
        return Root;
    }

    /// <summary>Creates (owner-only) and returns a subdirectory.</summary>
    public string Subdirectory(string name)
    {
        EnsureDirectory(Root);
        var path = Path.Combine(Root, name);
        EnsureDirectory(path);
        return path;
    }

    /// <summary>Writes a file atomically; <paramref name="secret"/> files are readable by the owner only.</summary>
    public static void WriteFile(string path, string content, bool secret)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = secret ? OwnerOnlyFile : PublicFile;
        }

        using (var stream = new FileStream(temp, fileOptions))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(content);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }
}
