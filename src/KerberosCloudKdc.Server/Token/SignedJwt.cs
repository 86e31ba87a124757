using System.Text.Json;

namespace KerberosCloudKdc.Server.Token;

/// <summary>A request JWT taken apart but not yet verified: the signing input, parsed header and payload, raw payload bytes, signature.</summary>
internal sealed record SignedJwt(string SigningInput, JsonElement Header, JsonElement Payload, byte[] PayloadBytes, byte[] Signature);
