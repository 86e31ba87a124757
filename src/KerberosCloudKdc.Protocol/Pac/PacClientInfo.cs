namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.7 PAC_CLIENT_INFO: FILETIME ClientId; USHORT NameLength (bytes); WCHAR Name[].

/// <summary>
/// Binds the PAC to its ticket: ClientId must equal the ticket's authtime and Name the client
/// principal name, so a PAC cannot be lifted into another user's ticket.
/// </summary>
public sealed class PacClientInfo : PacBuffer
{
    private const string What = "PAC client info";

    public PacClientInfo(FileTime clientId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ClientId = clientId;
        Name = name;
    }

    public override PacBufferType Type => PacBufferType.ClientInfo;

    public FileTime ClientId { get; }

    public string Name { get; }

    public override byte[] Encode()
    {
        var name = PacStrings.Encode(Name, What);
        var w = new PacWriter();
        w.WriteInt64(ClientId.Value);
        w.WriteUInt16((ushort)name.Length);
        w.WriteBytes(name);
        return w.ToArray();
    }

    public static PacClientInfo Decode(ReadOnlySpan<byte> data)
    {
        var r = new PacReader(data, What);
        var clientId = new FileTime(r.ReadInt64());
        var name = PacStrings.Decode(r.ReadBytes(r.ReadUInt16()), What);
        if (r.Remaining != 0)
        {
            throw new KerberosProtocolException("PAC client info has trailing data.");
        }

        return new PacClientInfo(clientId, name);
    }
}
