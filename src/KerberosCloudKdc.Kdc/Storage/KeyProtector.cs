using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// Encrypts long-term key bytes for storage with AES-256-GCM under a 32-byte master key kept in
/// <c>store.key</c> (owner-only). Each blob is <c>version(1) | nonce(12) | tag(16) | ciphertext</c>,
/// with a random nonce per encryption; the caller's associated data binds the blob to its row, so a
/// blob copied into another row (or another tenant) fails to decrypt instead of yielding a wrong key.
/// </summary>
public sealed class KeyProtector : IDisposable
{
    public const string FileName = "store.key";

    public const int MasterKeySize = 32;

    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] masterKey;

    private KeyProtector(byte[] masterKey)
    {
        this.masterKey = masterKey;
    }

    /// <summary>Wraps a key held by the caller (tests, or a key supplied from elsewhere).</summary>
    public static KeyProtector FromBytes(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != MasterKeySize)
        {
            throw new ArgumentException($"The master key must be {MasterKeySize} bytes.", nameof(masterKey));
        }

        return new KeyProtector(masterKey.ToArray());
    }

    /// <summary>
    /// Reads <paramref name="path"/>, or creates it with fresh random bytes (mode 0600) when it is missing
    /// and <paramref name="allowCreate"/> is set. Refuses a key file that group or others can access.
    /// </summary>
    public static async Task<KeyProtector> LoadOrCreateAsync(string path, bool allowCreate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            if (!allowCreate)
            {
                throw new StorageException($"The master key {path} is missing, but the database it protects exists. Restore the {FileName} that belongs to this database; a new key cannot read the stored keys.");
            }

            try
            {
                await CreateAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                throw new StorageException($"The master key {path} is accessible to group or others (mode {Convert.ToString((int)mode, 8)}); run chmod 600 on it.");
            }
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.Length != MasterKeySize)
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new StorageException($"The master key {path} is not {MasterKeySize} bytes long.");
        }

        return new KeyProtector(bytes);
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var blob = new byte[HeaderSize + plaintext.Length];
        blob[0] = FormatVersion;
        var nonce = blob.AsSpan(1, NonceSize);
        var tag = blob.AsSpan(1 + NonceSize, TagSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(masterKey, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(HeaderSize), tag, associatedData);
        return blob;
    }

    /// <summary>Decrypts a blob made by <see cref="Protect"/> with the same associated data, or throws <see cref="StorageException"/>.</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> associatedData)
    {
        if (blob.Length < HeaderSize || blob[0] != FormatVersion)
        {
            throw new StorageException("A protected key is malformed (unknown format or truncated).");
        }

        var plaintext = new byte[blob.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(masterKey, TagSize);
            aes.Decrypt(blob.Slice(1, NonceSize), blob[HeaderSize..], blob.Slice(1 + NonceSize, TagSize), plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new StorageException("A protected key failed to authenticate: the master key is wrong, or the row was tampered with or moved.", e);
        }

        return plaintext;
    }

    /// <summary>
    /// Associated data: purpose, tenant, owner, SPN (for service keys), kvno and etype, length-prefixed so
    /// no two distinct rows encode the same bytes.
    /// </summary>
    public static byte[] AssociatedData(string purpose, Guid tenantId, Guid ownerId, string? spn, uint kvno, int etype)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        var purposeBytes = System.Text.Encoding.UTF8.GetBytes(purpose);
        var spnBytes = System.Text.Encoding.UTF8.GetBytes(spn ?? string.Empty);
        var result = new byte[2 + purposeBytes.Length + 16 + 16 + 2 + spnBytes.Length + 4 + 4];
        var span = result.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)purposeBytes.Length);
        purposeBytes.CopyTo(span[2..]);
        var at = 2 + purposeBytes.Length;
        tenantId.TryWriteBytes(span.Slice(at, 16), bigEndian: true, out _);
        ownerId.TryWriteBytes(span.Slice(at + 16, 16), bigEndian: true, out _);
        at += 32;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)spnBytes.Length);
        spnBytes.CopyTo(span[(at + 2)..]);
        at += 2 + spnBytes.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], kvno);
        BinaryPrimitives.WriteInt32BigEndian(span[(at + 4)..], etype);
        return result;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(masterKey);

    private static async Task CreateAsync(string path, CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(MasterKeySize);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 rather than chmod-ed afterwards: there is no moment when others can read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var stream = new FileStream(path, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(key, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
