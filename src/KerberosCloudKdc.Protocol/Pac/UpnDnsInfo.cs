namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.10 UPN_DNS_INFO: USHORT UpnLength, UpnOffset, DnsDomainNameLength, DnsDomainNameOffset;
// ULONG Flags; and, when the S flag is set, USHORT SamNameLength, SamNameOffset, SidLength, SidOffset.
// Offsets are from the start of the buffer. Windows (and Samba) start each payload on an 8-byte boundary.

/// <summary>The client's UPN and DNS domain, optionally extended with its SAM name and SID.</summary>
public sealed class UpnDnsInfo : PacBuffer
{
    private const string What = "PAC UPN/DNS info";

    /// <summary>U flag: the account has no userPrincipalName; the UPN was made up from name@domain.</summary>
    public const uint UpnConstructedFlag = 0x1;

    /// <summary>S flag: the SamName and Sid fields are present.</summary>
    public const uint SamNameAndSidFlag = 0x2;

    public UpnDnsInfo(string upn, string dnsDomainName, bool upnConstructed = false, string? samName = null, SecurityIdentifier? sid = null)
    {
        ArgumentNullException.ThrowIfNull(upn);
        ArgumentNullException.ThrowIfNull(dnsDomainName);
        if ((samName is null) != (sid is null))
        {
            throw new ArgumentException("The SAM name and SID extension needs both or neither.", nameof(samName));
        }

        Upn = upn;
        DnsDomainName = dnsDomainName;
        UpnConstructed = upnConstructed;
        SamName = samName;
        Sid = sid;
    }

    public override PacBufferType Type => PacBufferType.UpnDnsInfo;

    public string Upn { get; }

    public string DnsDomainName { get; }

    public bool UpnConstructed { get; }

    /// <summary>Null unless the S flag is set.</summary>
    public string? SamName { get; }

    /// <summary>Null unless the S flag is set.</summary>
    public SecurityIdentifier? Sid { get; }

    public bool HasSamNameAndSid => SamName is not null;

    public uint Flags => (UpnConstructed ? UpnConstructedFlag : 0) | (HasSamNameAndSid ? SamNameAndSidFlag : 0);

    public override byte[] Encode()
    {
        byte[][] payloads = HasSamNameAndSid
            ? [PacStrings.Encode(Upn, What), PacStrings.Encode(DnsDomainName, What), PacStrings.Encode(SamName!, What), Sid!.ToBinary()]
            : [PacStrings.Encode(Upn, What), PacStrings.Encode(DnsDomainName, What)];
        var headerLength = HasSamNameAndSid ? 20 : 12;

        var w = new PacWriter();
        w.WriteBytes(new byte[headerLength]);
        for (var i = 0; i < payloads.Length; i++)
        {
            w.Align(8);
            var offset = w.Position;
            w.WriteBytes(payloads[i]);
            if (offset > ushort.MaxValue)
            {
                throw new ArgumentException("UPN/DNS info is too large.");
            }

            // Header slots: UPN at 0, DNS at 4, (Flags at 8), SAM name at 12, SID at 16.
            var slot = i < 2 ? i * 4 : 4 + (i * 4);
            w.PatchUInt16(slot, (ushort)payloads[i].Length);
            w.PatchUInt16(slot + 2, (ushort)offset);
        }

        w.PatchUInt32(8, Flags);
        return w.ToArray();
    }

    public static UpnDnsInfo Decode(ReadOnlySpan<byte> data)
    {
        var r = new PacReader(data, What);
        var upn = Field.Read(ref r);
        var dns = Field.Read(ref r);
        var flags = r.ReadUInt32();
        if ((flags & SamNameAndSidFlag) == 0)
        {
            return new UpnDnsInfo(upn.String(data), dns.String(data), (flags & UpnConstructedFlag) != 0);
        }

        var samName = Field.Read(ref r);
        var sid = Field.Read(ref r);
        return new UpnDnsInfo(
            upn.String(data),
            dns.String(data),
            (flags & UpnConstructedFlag) != 0,
            samName.String(data),
            SecurityIdentifier.FromBinary(sid.Slice(data)));
    }

    /// <summary>A (length, offset) pair from the header, resolved against the whole buffer.</summary>
    private readonly record struct Field(ushort Length, ushort Offset)
    {
        public static Field Read(ref PacReader r) => new(r.ReadUInt16(), r.ReadUInt16());

        public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data) =>
            Offset + Length <= data.Length
                ? data.Slice(Offset, Length)
                : throw new KerberosProtocolException("PAC UPN/DNS info field lies outside its buffer.");

        public string String(ReadOnlySpan<byte> data) => PacStrings.Decode(Slice(data), What);
    }
}
