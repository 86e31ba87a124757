namespace KerberosCloudKdc.Server.Login;

/// <summary>The outcome for one of tgt_cloud / tgt_ad: an opened ticket, or why there is none.</summary>
internal sealed record TgtResult(string Name, TgtEnvelope? Envelope, OpenedTgt? Ticket, string? Error);
