namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>msg-type values and the matching [APPLICATION n] tags (RFC 4120 §5.10).</summary>
public enum MessageType
{
    AsReq = 10,
    AsRep = 11,
    TgsReq = 12,
    TgsRep = 13,
    ApReq = 14,
    ApRep = 15,
    KrbSafe = 20,
    KrbPriv = 21,
    KrbCred = 22,
    KrbError = 30,
}

/// <summary>[APPLICATION n] numbers of the encrypted parts and other non-message types (RFC 4120 §5.10).</summary>
public static class ApplicationTag
{
    public const int Ticket = 1;
    public const int Authenticator = 2;
    public const int EncTicketPart = 3;
    public const int EncAsRepPart = 25;
    public const int EncTgsRepPart = 26;
    public const int EncApRepPart = 27;
    public const int EncKrbPrivPart = 28;
    public const int EncKrbCredPart = 29;
}
