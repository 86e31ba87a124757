using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>A successful token answer: the response as received, the PRT session key (PRT flow only) and the TGTs.</summary>
internal sealed record LoginOutcome(JsonObject Response, byte[]? SessionKey, TgtResult Cloud, TgtResult? OnPremises);
