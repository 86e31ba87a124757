namespace KerberosCloudKdc.Protocol.Files;

/// <summary>A client address a ticket was restricted to (RFC 4120 HostAddress); type 2 is IPv4, 24 IPv6.</summary>
public sealed record CredentialCacheAddress(ushort Type, ReadOnlyMemory<byte> Address);
