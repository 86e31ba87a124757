namespace KerberosCloudKdc.Server.Login;

/// <summary>A PRT kept for a later <c>cloudkdc login --refresh</c>, with the session key that signs its renewal.</summary>
internal sealed record StoredPrt(string RefreshToken, byte[] SessionKey);
