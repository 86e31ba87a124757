using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

public class PacRoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1099)]
    public void Builder_output_survives_encode_and_decode(int groupCount)
    {
        var pac = PacSamples.Builder(groupCount).Build();

        var bytes = pac.Encode();
        var decoded = PrivilegeAttributeCertificate.Decode(bytes);

        var logon = Assert.IsType<KerbValidationInfo>(decoded.LogonInfo);
        Assert.Equal("jürgen.ﬁsh", logon.EffectiveName);
        Assert.Equal("Jürgen Fish 🐟", logon.FullName);
        Assert.Equal("CONTOSO", logon.LogonDomainName);
        Assert.Equal("ENTRA-KDC", logon.LogonServer);
        Assert.Equal(string.Empty, logon.LogonScript);
        Assert.Equal(PacSamples.DomainSid.WithRid(1105), logon.UserSid);
        Assert.Equal(513u, logon.PrimaryGroupId);
        Assert.Equal(groupCount + 1, logon.GroupIds.Count);
        Assert.Equal(pac.LogonInfo!.GroupIds, logon.GroupIds);
        Assert.Equal(pac.LogonInfo.ExtraSids, logon.ExtraSids);
        Assert.Equal(UserFlags.ExtraSidsPresent, logon.UserFlags);
        Assert.Equal(FileTime.FromDateTimeOffset(PacSamples.AuthTime), logon.LogonTime);
        Assert.True(logon.LogoffTime.IsNever);
        Assert.Equal(PacSamples.AuthTime, decoded.ClientInfo!.ClientId.ToDateTimeOffset());
        Assert.Equal("jürgen.ﬁsh", decoded.ClientInfo.Name);
        Assert.Equal(bytes, decoded.Encode());
    }

    [Fact]
    public void Group_sids_combine_domain_rids_extra_sids_and_resource_groups()
    {
        var resourceDomain = SecurityIdentifier.Parse("S-1-5-21-9-8-7");
        var builder = new PacBuilder
        {
            UserName = "alice",
            DnsDomainName = "CONTOSO.COM",
            NetBiosDomainName = "CONTOSO",
            DomainSid = PacSamples.DomainSid,
            UserRid = 1200,
            PrimaryGroupRid = 1201,
            GroupRids = [512],
            ResourceGroupDomainSid = resourceDomain,
            ResourceGroupRids = [1300, 1301],
            AuthTime = PacSamples.AuthTime,
        };

        var logon = PrivilegeAttributeCertificate.Decode(builder.Build().Encode()).LogonInfo!;

        Assert.Equal(UserFlags.ResourceGroupsPresent, logon.UserFlags);
        Assert.Equal(
            new[] { "1201", "512" }.Select(r => $"{PacSamples.DomainSid}-{r}")
                .Concat(["S-1-5-21-9-8-7-1300", "S-1-5-21-9-8-7-1301"]),
            logon.GroupSids().Select(s => s.ToString()));
        Assert.All(logon.ResourceGroupIds, g => Assert.True(g.Attributes.HasFlag(GroupAttributes.Resource)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Upn_dns_info_round_trips_with_and_without_the_sid_extension(bool samNameAndSid)
    {
        var pac = PacSamples.Builder(samNameAndSid: samNameAndSid).Build();

        var upn = PrivilegeAttributeCertificate.Decode(pac.Encode()).UpnDnsInfo!;

        Assert.Equal("jurgen@contoso.com", upn.Upn);
        Assert.Equal("CONTOSO.COM", upn.DnsDomainName);
        Assert.False(upn.UpnConstructed);
        Assert.Equal(samNameAndSid, upn.HasSamNameAndSid);
        Assert.Equal(samNameAndSid ? 2u : 0u, upn.Flags);
        Assert.Equal(samNameAndSid ? "jürgen.ﬁsh" : null, upn.SamName);
        Assert.Equal(samNameAndSid ? PacSamples.DomainSid.WithRid(1105) : null, upn.Sid);
    }

    [Fact]
    public void Upn_dns_info_lays_payloads_on_8_byte_boundaries()
    {
        var bytes = new UpnDnsInfo("a@b.c", "B.C", samName: "a", sid: PacSamples.DomainSid.WithRid(5)).Encode();

        // UpnOffset, DnsDomainNameOffset, SamNameOffset, SidOffset.
        Assert.Equal(new[] { 24, 40, 48, 56 }, new[] { 2, 6, 14, 18 }.Select(o => (int)BitConverter.ToUInt16(bytes, o)));
        Assert.Equal(0x2u, BitConverter.ToUInt32(bytes, 8));
    }

    [Fact]
    public void Missing_upn_is_constructed_and_flagged()
    {
        var builder = new PacBuilder
        {
            UserName = "bob",
            DnsDomainName = "CONTOSO.COM",
            NetBiosDomainName = "CONTOSO",
            DomainSid = PacSamples.DomainSid,
            UserRid = 1300,
            AuthTime = PacSamples.AuthTime,
        };

        var upn = PrivilegeAttributeCertificate.Decode(builder.Build().Encode()).UpnDnsInfo!;

        Assert.Equal("bob@CONTOSO.COM", upn.Upn);
        Assert.True(upn.UpnConstructed);
        Assert.Equal(3u, upn.Flags);
    }

    [Fact]
    public void Attributes_and_requestor_round_trip()
    {
        var pac = PacSamples.Builder().Build();

        var decoded = PrivilegeAttributeCertificate.Decode(pac.Encode());

        Assert.Equal(2u, decoded.AttributesInfo!.FlagsLength);
        Assert.False(decoded.AttributesInfo.PacWasRequested);
        Assert.True(decoded.AttributesInfo.PacWasGivenImplicitly);
        Assert.Equal(PacSamples.DomainSid.WithRid(1105), decoded.Requestor!.Sid);
        Assert.Equal(
            [PacBufferType.LogonInfo, PacBufferType.ClientInfo, PacBufferType.UpnDnsInfo, PacBufferType.Attributes, PacBufferType.Requestor],
            decoded.Buffers.Select(b => b.Type));
    }

    [Fact]
    public void Unknown_buffers_are_kept_verbatim_in_order()
    {
        var claims = new RawPacBuffer(PacBufferType.ClientClaimsInfo, [1, 2, 3, 4, 5]);
        var vendor = new RawPacBuffer((PacBufferType)0x1234, []);
        var pac = new PrivilegeAttributeCertificate([PacSamples.Builder().Build().LogonInfo!, claims, vendor, new RawPacBuffer((PacBufferType)0x1234, [9])]);

        var decoded = PrivilegeAttributeCertificate.Decode(pac.Encode());

        Assert.Equal([PacBufferType.LogonInfo, PacBufferType.ClientClaimsInfo, (PacBufferType)0x1234, (PacBufferType)0x1234], decoded.Buffers.Select(b => b.Type));
        Assert.Equal([1, 2, 3, 4, 5], Assert.IsType<RawPacBuffer>(decoded.Buffers[1]).Data.ToArray());
        Assert.Equal([9], Assert.IsType<RawPacBuffer>(decoded.Buffers[3]).Data.ToArray());
    }

    [Fact]
    public void Logon_info_ndr_header_and_padding_follow_windows()
    {
        var bytes = PacSamples.Builder().Build().LogonInfo!.Encode();

        Assert.Equal("01100800CCCCCCCC", Convert.ToHexString(bytes, 0, 8));
        var objectLength = BitConverter.ToUInt32(bytes, 8);
        Assert.Equal(bytes.Length - 16, (int)objectLength);
        Assert.Equal(0u, objectLength % 8);
        Assert.Equal(0x00020000u, BitConverter.ToUInt32(bytes, 16));
    }

    [Fact]
    public void Pac_layout_aligns_buffers_to_8_and_has_version_0()
    {
        var bytes = PacSamples.Builder().Build().Encode();

        var count = BitConverter.ToUInt32(bytes, 0);
        Assert.Equal(5u, count);
        Assert.Equal(0u, BitConverter.ToUInt32(bytes, 4));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0ul, BitConverter.ToUInt64(bytes, 8 + (16 * i) + 8) % 8);
        }

        Assert.Equal(0, bytes.Length % 8);
    }

    [Fact]
    public void Null_and_empty_strings_stay_distinct()
    {
        var info = new KerbValidationInfo { EffectiveName = "x", FullName = null, LogonScript = string.Empty };

        var decoded = KerbValidationInfo.Decode(info.Encode());

        Assert.Equal("x", decoded.EffectiveName);
        Assert.Null(decoded.FullName);
        Assert.Equal(string.Empty, decoded.LogonScript);
        Assert.Null(decoded.LogonDomainId);
        Assert.Empty(decoded.GroupIds);
    }

    [Fact]
    public void Duplicate_interpreted_buffers_are_refused()
    {
        var logon = PacSamples.Builder().Build().LogonInfo!;

        Assert.Throws<ArgumentException>(() => new PrivilegeAttributeCertificate([logon, logon]));
    }

    [Fact]
    public void Signature_buffer_round_trips_with_rodc_identifier()
    {
        var signature = new PacSignatureData(PacBufferType.KdcChecksum, ChecksumType.HmacSha196Aes256, new byte[12], rodcIdentifier: 0x1234);

        var decoded = PacSignatureData.Decode(PacBufferType.KdcChecksum, signature.Encode());

        Assert.Equal((ushort)0x1234, decoded.RodcIdentifier);
        Assert.Equal(12, decoded.Signature.Length);
    }
}
