namespace KerberosCloudKdc.Protocol;

/// <summary>
/// The one exception the protocol layer throws for input it cannot accept: malformed DER, a wrong
/// tag, an oversized field, a truncated file. The message is a short reason safe to log or to put
/// in a KRB-ERROR e-text (it never contains key material or the offending bytes).
/// </summary>
public class KerberosProtocolException : Exception
{
    public KerberosProtocolException()
        : base("Malformed Kerberos data.")
    {
    }

    public KerberosProtocolException(string reason)
        : base(reason)
    {
    }

    public KerberosProtocolException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}

/// <summary>
/// Decryption or checksum verification failed: the data was well formed but the key was wrong or
/// the bytes were altered. KDCs answer this with KRB_AP_ERR_BAD_INTEGRITY (31), not a parse error.
/// </summary>
public sealed class KerberosIntegrityException : KerberosProtocolException
{
    public KerberosIntegrityException()
        : base("Integrity check failed.")
    {
    }

    public KerberosIntegrityException(string reason)
        : base(reason)
    {
    }

    public KerberosIntegrityException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
