namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.5 KERB_VALIDATION_INFO, serialised per MS-RPCE §2.2.6 (type serialisation v1):
//   common header  { Version=1, Endianness=0x10, CommonHeaderLength=8, Filler=0xCCCCCCCC }
//   private header { ObjectBufferLength, Filler=0 }
//   NDR20 body: a unique top-level pointer, the fixed part of the structure (embedded pointers as
//   referent ids), then the pointees in the order their pointers appeared (MS-RPCE §2.2.5.3.4.2),
//   pointees of array elements right after their array. The body is padded to a multiple of 8.

/// <summary>NDR encoder and strict decoder for <see cref="KerbValidationInfo"/>.</summary>
internal static class KerbValidationInfoCodec
{
    private const string What = "PAC logon info";
    private const int HeaderLength = 16;

    public static byte[] Encode(KerbValidationInfo info)
    {
        CheckEncodable(info);
        var w = new PacWriter();
        w.WriteByte(1);
        w.WriteByte(0x10);
        w.WriteUInt16(8);
        w.WriteUInt32(0xCCCCCCCC);
        w.WriteUInt32(0); // ObjectBufferLength, patched below.
        w.WriteUInt32(0);

        var referents = new NdrReferents();
        w.WriteUInt32(referents.Next());
        WriteFixedPart(w, info, referents);
        WriteDeferred(w, info, referents);

        w.Align(8);
        w.PatchUInt32(8, (uint)(w.Position - HeaderLength));
        return w.ToArray();
    }

    public static KerbValidationInfo Decode(ReadOnlySpan<byte> data)
    {
        var header = new PacReader(data, What);
        if (header.ReadByte() != 1 || header.ReadByte() != 0x10 || header.ReadUInt16() != 8)
        {
            throw new KerberosProtocolException("PAC logon info has an unsupported NDR serialisation header.");
        }

        header.ReadUInt32(); // Filler: 0xCCCCCCCC by convention, meaningless.
        var bodyLength = header.ReadUInt32();
        header.ReadUInt32();
        if (bodyLength > header.Remaining)
        {
            throw new KerberosProtocolException("PAC logon info length exceeds its buffer.");
        }

        if (header.Remaining - bodyLength >= 8)
        {
            throw new KerberosProtocolException("PAC logon info has trailing data.");
        }

        var r = new PacReader(data.Slice(HeaderLength, (int)bodyLength), What);
        if (r.ReadUInt32() == 0)
        {
            throw new KerberosProtocolException("PAC logon info top-level pointer is null.");
        }

        var info = NdrValidationReader.Read(ref r);
        if (r.Remaining >= 8)
        {
            throw new KerberosProtocolException("PAC logon info has trailing data.");
        }

        return info;
    }

    private static void WriteFixedPart(PacWriter w, KerbValidationInfo info, NdrReferents referents)
    {
        w.WriteInt64(info.LogonTime.Value);
        w.WriteInt64(info.LogoffTime.Value);
        w.WriteInt64(info.KickOffTime.Value);
        w.WriteInt64(info.PasswordLastSet.Value);
        w.WriteInt64(info.PasswordCanChange.Value);
        w.WriteInt64(info.PasswordMustChange.Value);
        WriteStringHeader(w, info.EffectiveName, referents);
        WriteStringHeader(w, info.FullName, referents);
        WriteStringHeader(w, info.LogonScript, referents);
        WriteStringHeader(w, info.ProfilePath, referents);
        WriteStringHeader(w, info.HomeDirectory, referents);
        WriteStringHeader(w, info.HomeDirectoryDrive, referents);
        w.WriteUInt16(info.LogonCount);
        w.WriteUInt16(info.BadPasswordCount);
        w.WriteUInt32(info.UserId);
        w.WriteUInt32(info.PrimaryGroupId);
        w.WriteUInt32((uint)info.GroupIds.Count);
        w.WriteUInt32(info.GroupIds.Count == 0 ? 0 : referents.Next());
        w.WriteUInt32((uint)info.UserFlags);
        w.WriteBytes(info.UserSessionKey);
        WriteStringHeader(w, info.LogonServer, referents);
        WriteStringHeader(w, info.LogonDomainName, referents);
        w.WriteUInt32(info.LogonDomainId is null ? 0 : referents.Next());
        w.WriteBytes(info.Reserved1);
        w.WriteUInt32(info.UserAccountControl);
        w.WriteUInt32(info.SubAuthStatus);
        w.WriteInt64(info.LastSuccessfulILogon.Value);
        w.WriteInt64(info.LastFailedILogon.Value);
        w.WriteUInt32(info.FailedILogonCount);
        w.WriteUInt32(info.Reserved3);
        w.WriteUInt32((uint)info.ExtraSids.Count);
        w.WriteUInt32(info.ExtraSids.Count == 0 ? 0 : referents.Next());
        w.WriteUInt32(info.ResourceGroupDomainSid is null ? 0 : referents.Next());
        w.WriteUInt32((uint)info.ResourceGroupIds.Count);
        w.WriteUInt32(info.ResourceGroupIds.Count == 0 ? 0 : referents.Next());
    }

    // Same order as the pointers in WriteFixedPart: NDR requires it.
    private static void WriteDeferred(PacWriter w, KerbValidationInfo info, NdrReferents referents)
    {
        WriteStringBody(w, info.EffectiveName);
        WriteStringBody(w, info.FullName);
        WriteStringBody(w, info.LogonScript);
        WriteStringBody(w, info.ProfilePath);
        WriteStringBody(w, info.HomeDirectory);
        WriteStringBody(w, info.HomeDirectoryDrive);
        WriteGroups(w, info.GroupIds);
        WriteStringBody(w, info.LogonServer);
        WriteStringBody(w, info.LogonDomainName);
        WriteSid(w, info.LogonDomainId);
        WriteExtraSids(w, info.ExtraSids, referents);
        WriteSid(w, info.ResourceGroupDomainSid);
        WriteGroups(w, info.ResourceGroupIds);
    }

    // RPC_UNICODE_STRING: { USHORT Length; USHORT MaximumLength; [size_is, length_is] WCHAR* Buffer }
    private static void WriteStringHeader(PacWriter w, string? value, NdrReferents referents)
    {
        var bytes = value is null ? 0 : value.Length * 2;
        w.WriteUInt16((ushort)bytes);
        w.WriteUInt16((ushort)bytes);
        w.WriteUInt32(value is null ? 0 : referents.Next());
    }

    // Conformant varying array: MaxCount, Offset, ActualCount, then the characters.
    private static void WriteStringBody(PacWriter w, string? value)
    {
        if (value is null)
        {
            return;
        }

        w.Align(4);
        w.WriteUInt32((uint)value.Length);
        w.WriteUInt32(0);
        w.WriteUInt32((uint)value.Length);
        w.WriteBytes(PacStrings.Encode(value, What));
    }

    private static void WriteGroups(PacWriter w, IReadOnlyList<GroupMembership> groups)
    {
        if (groups.Count == 0)
        {
            return;
        }

        w.Align(4);
        w.WriteUInt32((uint)groups.Count);
        foreach (var group in groups)
        {
            w.WriteUInt32(group.RelativeId);
            w.WriteUInt32((uint)group.Attributes);
        }
    }

    private static void WriteExtraSids(PacWriter w, IReadOnlyList<SidAndAttributes> extraSids, NdrReferents referents)
    {
        if (extraSids.Count == 0)
        {
            return;
        }

        w.Align(4);
        w.WriteUInt32((uint)extraSids.Count);
        foreach (var entry in extraSids)
        {
            w.WriteUInt32(referents.Next());
            w.WriteUInt32((uint)entry.Attributes);
        }

        foreach (var entry in extraSids)
        {
            WriteSid(w, entry.Sid);
        }
    }

    // RPC_SID is a conformant structure: its conformance (the sub-authority count) leads.
    private static void WriteSid(PacWriter w, SecurityIdentifier? sid)
    {
        if (sid is null)
        {
            return;
        }

        w.Align(4);
        w.WriteUInt32((uint)sid.SubAuthorities.Count);
        var binary = sid.ToBinary();
        w.WriteBytes(binary);
    }

    private static void CheckEncodable(KerbValidationInfo info)
    {
        if (info.UserSessionKey.Length != 16)
        {
            throw new ArgumentException("UserSessionKey must be 16 bytes.", nameof(info));
        }

        if (info.Reserved1.Length != 8)
        {
            throw new ArgumentException("Reserved1 must be 8 bytes.", nameof(info));
        }

        if (info.GroupIds.Count > PacLimits.MaxGroups || info.ExtraSids.Count > PacLimits.MaxGroups
            || info.ResourceGroupIds.Count > PacLimits.MaxGroups)
        {
            throw new ArgumentException($"A PAC carries at most {PacLimits.MaxGroups} entries per group list.", nameof(info));
        }

        if (info.ResourceGroupIds.Count > 0 && info.ResourceGroupDomainSid is null)
        {
            throw new ArgumentException("Resource groups need a ResourceGroupDomainSid.", nameof(info));
        }

        if (info.GroupIds.Count > 0 && info.LogonDomainId is null)
        {
            throw new ArgumentException("Group RIDs need a LogonDomainId.", nameof(info));
        }
    }
}
