namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// A login step failed in a way the user can act on (a refusal from the server, a malformed answer, a bad device
/// directory). The message is one line meant for stderr; the CLI turns it into exit code 1.
/// </summary>
internal sealed class LoginException : Exception
{
    public LoginException(string message)
        : base(message)
    {
    }

    public LoginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LoginException()
    {
    }
}
