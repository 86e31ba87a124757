namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.15 PAC_REQUESTOR: the client's SID in binary form (MS-DTYP §2.4.2.2), nothing else.

/// <summary>
/// The SID of the account that asked for the TGT; KDCs compare it with the TGS client so a TGT
/// cannot be re-pointed at another account (the CVE-2021-42287 fix).
/// </summary>
public sealed class PacRequestor : PacBuffer
{
    public PacRequestor(SecurityIdentifier sid)
    {
        ArgumentNullException.ThrowIfNull(sid);
        Sid = sid;
    }

    public override PacBufferType Type => PacBufferType.Requestor;

    public SecurityIdentifier Sid { get; }

    public override byte[] Encode() => Sid.ToBinary();

    public static PacRequestor Decode(ReadOnlySpan<byte> data) => new(SecurityIdentifier.FromBinary(data));
}
