namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.5 KERB_VALIDATION_INFO fixed part and deferred pointees, MS-RPCE §2.2.5 NDR20.
// Every count is checked against PacLimits before anything is allocated, and every conformance
// value must agree with the count the structure declared: a mismatch means the data is forged or
// corrupt, and guessing which of the two to trust is how parsers get exploited.

/// <summary>Reads the NDR body of a KERB_VALIDATION_INFO after its top-level referent.</summary>
internal static class NdrValidationReader
{
    private const string What = "PAC logon info";

    public static KerbValidationInfo Read(ref PacReader r)
    {
        var logonTime = new FileTime(r.ReadInt64());
        var logoffTime = new FileTime(r.ReadInt64());
        var kickOffTime = new FileTime(r.ReadInt64());
        var passwordLastSet = new FileTime(r.ReadInt64());
        var passwordCanChange = new FileTime(r.ReadInt64());
        var passwordMustChange = new FileTime(r.ReadInt64());
        var effectiveName = StringHeader.Read(ref r);
        var fullName = StringHeader.Read(ref r);
        var logonScript = StringHeader.Read(ref r);
        var profilePath = StringHeader.Read(ref r);
        var homeDirectory = StringHeader.Read(ref r);
        var homeDirectoryDrive = StringHeader.Read(ref r);
        var logonCount = r.ReadUInt16();
        var badPasswordCount = r.ReadUInt16();
        var userId = r.ReadUInt32();
        var primaryGroupId = r.ReadUInt32();
        var groupCount = ReadCount(ref r);
        var groupsPresent = r.ReadUInt32() != 0;
        var userFlags = (UserFlags)r.ReadUInt32();
        var userSessionKey = r.ReadBytes(16).ToArray();
        var logonServer = StringHeader.Read(ref r);
        var logonDomainName = StringHeader.Read(ref r);
        var domainIdPresent = r.ReadUInt32() != 0;
        var reserved1 = r.ReadBytes(8).ToArray();
        var userAccountControl = r.ReadUInt32();
        var subAuthStatus = r.ReadUInt32();
        var lastSuccessfulILogon = new FileTime(r.ReadInt64());
        var lastFailedILogon = new FileTime(r.ReadInt64());
        var failedILogonCount = r.ReadUInt32();
        var reserved3 = r.ReadUInt32();
        var sidCount = ReadCount(ref r);
        var extraSidsPresent = r.ReadUInt32() != 0;
        var resourceDomainPresent = r.ReadUInt32() != 0;
        var resourceGroupCount = ReadCount(ref r);
        var resourceGroupsPresent = r.ReadUInt32() != 0;

        // Deferred pointees, in the order of the pointers above.
        return new KerbValidationInfo
        {
            LogonTime = logonTime,
            LogoffTime = logoffTime,
            KickOffTime = kickOffTime,
            PasswordLastSet = passwordLastSet,
            PasswordCanChange = passwordCanChange,
            PasswordMustChange = passwordMustChange,
            EffectiveName = effectiveName.ReadBody(ref r),
            FullName = fullName.ReadBody(ref r),
            LogonScript = logonScript.ReadBody(ref r),
            ProfilePath = profilePath.ReadBody(ref r),
            HomeDirectory = homeDirectory.ReadBody(ref r),
            HomeDirectoryDrive = homeDirectoryDrive.ReadBody(ref r),
            LogonCount = logonCount,
            BadPasswordCount = badPasswordCount,
            UserId = userId,
            PrimaryGroupId = primaryGroupId,
            GroupIds = ReadGroups(ref r, groupsPresent, groupCount),
            UserFlags = userFlags,
            UserSessionKey = userSessionKey,
            LogonServer = logonServer.ReadBody(ref r),
            LogonDomainName = logonDomainName.ReadBody(ref r),
            LogonDomainId = domainIdPresent ? ReadSid(ref r) : null,
            Reserved1 = reserved1,
            UserAccountControl = userAccountControl,
            SubAuthStatus = subAuthStatus,
            LastSuccessfulILogon = lastSuccessfulILogon,
            LastFailedILogon = lastFailedILogon,
            FailedILogonCount = failedILogonCount,
            Reserved3 = reserved3,
            ExtraSids = ReadExtraSids(ref r, extraSidsPresent, sidCount),
            ResourceGroupDomainSid = resourceDomainPresent ? ReadSid(ref r) : null,
            ResourceGroupIds = ReadGroups(ref r, resourceGroupsPresent, resourceGroupCount),
        };
    }

    private static int ReadCount(ref PacReader r)
    {
        var count = r.ReadUInt32();
        return count <= PacLimits.MaxGroups
            ? (int)count
            : throw new KerberosProtocolException("PAC logon info has too many groups or SIDs.");
    }

    private static void ReadConformance(ref PacReader r, int expected)
    {
        r.Align(4);
        if (r.ReadUInt32() != (uint)expected)
        {
            throw new KerberosProtocolException("PAC logon info array size disagrees with its count.");
        }
    }

    private static GroupMembership[] ReadGroups(ref PacReader r, bool present, int count)
    {
        if (!present)
        {
            return count == 0 ? [] : throw new KerberosProtocolException("PAC logon info group count without groups.");
        }

        ReadConformance(ref r, count);
        var groups = new GroupMembership[count];
        for (var i = 0; i < count; i++)
        {
            groups[i] = new GroupMembership(r.ReadUInt32(), (GroupAttributes)r.ReadUInt32());
        }

        return groups;
    }

    private static SidAndAttributes[] ReadExtraSids(ref PacReader r, bool present, int count)
    {
        if (!present)
        {
            return count == 0 ? [] : throw new KerberosProtocolException("PAC logon info SID count without SIDs.");
        }

        ReadConformance(ref r, count);
        var attributes = new GroupAttributes[count];
        for (var i = 0; i < count; i++)
        {
            if (r.ReadUInt32() == 0)
            {
                throw new KerberosProtocolException("PAC logon info extra SID entry has no SID.");
            }

            attributes[i] = (GroupAttributes)r.ReadUInt32();
        }

        var result = new SidAndAttributes[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new SidAndAttributes(ReadSid(ref r), attributes[i]);
        }

        return result;
    }

    // RPC_SID: conformance (sub-authority count) first, then Revision, SubAuthorityCount, authority, subs.
    private static SecurityIdentifier ReadSid(ref PacReader r)
    {
        r.Align(4);
        var conformance = r.ReadUInt32();
        if (conformance > SecurityIdentifier.MaxSubAuthorities)
        {
            throw new KerberosProtocolException("PAC logon info SID has too many sub-authorities.");
        }

        var binary = r.ReadBytes(8 + (4 * (int)conformance));
        if (binary[1] != conformance)
        {
            throw new KerberosProtocolException("PAC logon info SID size disagrees with its count.");
        }

        return SecurityIdentifier.FromBinary(binary);
    }

    /// <summary>The inline half of an RPC_UNICODE_STRING; the characters come later, deferred.</summary>
    private readonly struct StringHeader
    {
        private readonly ushort length;
        private readonly ushort maximumLength;
        private readonly bool present;

        private StringHeader(ushort length, ushort maximumLength, bool present)
        {
            this.length = length;
            this.maximumLength = maximumLength;
            this.present = present;
        }

        public static StringHeader Read(ref PacReader r) => new(r.ReadUInt16(), r.ReadUInt16(), r.ReadUInt32() != 0);

        public string? ReadBody(ref PacReader r)
        {
            if (!present)
            {
                return length == 0 ? null : throw new KerberosProtocolException("PAC logon info string has a length but no buffer.");
            }

            if (length > maximumLength || length % 2 != 0 || maximumLength % 2 != 0)
            {
                throw new KerberosProtocolException("PAC logon info string lengths are inconsistent.");
            }

            r.Align(4);
            var maxCount = r.ReadUInt32();
            var offset = r.ReadUInt32();
            var actualCount = r.ReadUInt32();
            if (maxCount != maximumLength / 2u || offset != 0 || actualCount != length / 2u)
            {
                throw new KerberosProtocolException("PAC logon info string array disagrees with its header.");
            }

            return PacStrings.Decode(r.ReadBytes(length), What);
        }
    }
}
