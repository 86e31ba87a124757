namespace KerberosCloudKdc.Protocol.Files;

/// <summary>File I/O shared by keytabs and credential caches, both of which hold keys.</summary>
internal static class SecretFile
{
    public static async Task<byte[]> ReadAsync(string path, string kind, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            // Checked before reading, so pointing us at a huge file cannot exhaust memory.
            if (stream.Length > FileLimits.MaxFileSize)
            {
                throw new KerberosProtocolException($"Malformed {kind}: file too large.");
            }

            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            return bytes;
        }
    }

    /// <summary>
    /// Writes to a sibling temporary file created owner-only, then renames it over the target: a
    /// reader never sees half a file, and an existing file's looser permissions are not inherited.
    /// </summary>
    public static async Task WriteAsync(string path, byte[] contents, CancellationToken ct)
    {
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(
            Path.GetDirectoryName(fullPath)!,
            $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(contents, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            // Exists first: if creating the temporary failed, deleting it would throw and hide why.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }
}
