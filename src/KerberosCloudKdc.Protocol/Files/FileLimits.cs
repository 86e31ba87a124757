namespace KerberosCloudKdc.Protocol.Files;

/// <summary>
/// Caps on what a keytab or credential cache may claim. The formats allow up to 4 GiB per field;
/// these keep a hostile or corrupt file from making us allocate more than a real one ever needs.
/// </summary>
internal static class FileLimits
{
    /// <summary>Real keytabs and caches are kilobytes; a ticket with a large PAC is still well under 1 MiB.</summary>
    public const int MaxFileSize = 16 * 1024 * 1024;

    public const int MaxComponents = 32;

    public const int MaxStringLength = 4096;

    /// <summary>AES-256 keys are 32 bytes; the slack admits future enctypes without admitting garbage.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>Tickets, addresses and authorization data.</summary>
    public const int MaxDataLength = 1024 * 1024;

    public const int MaxListCount = 4096;
}
