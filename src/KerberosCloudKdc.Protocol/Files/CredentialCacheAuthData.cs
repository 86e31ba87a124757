namespace KerberosCloudKdc.Protocol.Files;

/// <summary>One authorization-data element the KDC returned alongside the ticket, kept as opaque bytes.</summary>
public sealed record CredentialCacheAuthData(ushort Type, ReadOnlyMemory<byte> Data);
