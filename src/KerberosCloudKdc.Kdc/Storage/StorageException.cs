namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// The persistent store cannot be used as it is: a missing or wrong master key, a database from a newer
/// version, or a protected key that fails to authenticate (tampered or moved between rows). Never a
/// conflict or not-found: those stay <see cref="Directory.DirectoryConflictException"/> and
/// <see cref="Directory.DirectoryObjectNotFoundException"/>.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException()
        : base("The store cannot be used.")
    {
    }

    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
