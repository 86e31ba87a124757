namespace KerberosCloudKdc.Server.Token;

/// <summary>tokens/prt.key is unusable; the message names the file and the fix, never the key, so it may be logged.</summary>
internal sealed class PrtKeyFileException : Exception
{
    public PrtKeyFileException()
    {
    }

    public PrtKeyFileException(string message)
        : base(message)
    {
    }

    public PrtKeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
