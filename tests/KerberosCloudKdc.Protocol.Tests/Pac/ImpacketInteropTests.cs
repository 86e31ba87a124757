using System.Text.Json;
using System.Text.Json.Nodes;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

/// <summary>Cross-checks against impacket's independent MS-PAC structures and Kerberos crypto.</summary>
public class ImpacketInteropTests
{
    private const string UserName = "jürgen.ﬁsh";
    private const long ClientId = 133_000_000_000_000_000;
    private static readonly uint[] Groups = [513, 512, 1106];
    private static readonly byte[] TicketInput = [0x30, 0x03, 0x02, 0x01, 0x05];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task We_decode_and_verify_a_pac_impacket_built_and_signed(bool samNameAndSid)
    {
        var spec = new JsonObject
        {
            ["user"] = UserName,
            // BMP only: impacket sets RPC_UNICODE_STRING.Length from Python code points, so a
            // surrogate pair makes its header disagree with its array (which we rightly reject).
            ["full_name"] = "Jürgen Fiſh",
            ["upn"] = "jurgen@contoso.com",
            ["dns_domain"] = "CONTOSO.COM",
            ["netbios_domain"] = "CONTOSO",
            ["domain_sid"] = PacSamples.DomainSid.ToString(),
            ["user_rid"] = 1105,
            ["primary_group_rid"] = 513,
            ["groups"] = new JsonArray(Groups.Select(g => (JsonNode)g).ToArray()),
            ["extra_sids"] = new JsonArray(
                new JsonObject { ["sid"] = "S-1-18-1", ["attributes"] = 7 },
                new JsonObject { ["sid"] = "S-1-5-21-1-2-3-4444", ["attributes"] = 0x20000007 }),
            ["resource_domain_sid"] = "S-1-5-21-9-8-7",
            ["resource_groups"] = new JsonArray(1300, 1301),
            ["client_id"] = ClientId,
            ["server_key"] = PacSamples.Hex(PacSamples.ServerKey),
            ["kdc_key"] = PacSamples.Hex(PacSamples.KdcKey),
            ["sam_name_and_sid"] = samNameAndSid,
        };

        var bytes = Convert.FromHexString((await ImpacketRunner.RunAsync("pac_build_impacket.py", spec.ToJsonString())).Trim());
        var pac = PrivilegeAttributeCertificate.Decode(bytes);

        var logon = pac.LogonInfo!;
        Assert.Equal(UserName, logon.EffectiveName);
        Assert.Equal("Jürgen Fiſh", logon.FullName);
        Assert.Equal("CONTOSO", logon.LogonDomainName);
        Assert.Equal(string.Empty, logon.HomeDirectory);
        Assert.Equal((ushort)7, logon.LogonCount);
        Assert.Equal(PacSamples.DomainSid.WithRid(1105), logon.UserSid);
        Assert.Equal(513u, logon.PrimaryGroupId);
        Assert.Equal(Groups, logon.GroupIds.Select(g => g.RelativeId));
        Assert.All(logon.GroupIds, g => Assert.Equal(GroupAttributes.DefaultGroup, g.Attributes));
        Assert.Equal(
            [new(SecurityIdentifier.Parse("S-1-18-1"), GroupAttributes.DefaultGroup),
             new(SecurityIdentifier.Parse("S-1-5-21-1-2-3-4444"), GroupAttributes.DefaultGroup | GroupAttributes.Resource)],
            logon.ExtraSids);
        Assert.Equal(SecurityIdentifier.Parse("S-1-5-21-9-8-7"), logon.ResourceGroupDomainSid);
        Assert.Equal([1300u, 1301u], logon.ResourceGroupIds.Select(g => g.RelativeId));
        Assert.Equal(UserFlags.ExtraSidsPresent | UserFlags.ResourceGroupsPresent, logon.UserFlags);
        Assert.Equal(ClientId, logon.LogonTime.Value);
        Assert.True(logon.KickOffTime.IsNever);
        Assert.Equal(0x210u, logon.UserAccountControl);

        Assert.Equal(ClientId, pac.ClientInfo!.ClientId.Value);
        Assert.Equal(UserName, pac.ClientInfo.Name);
        Assert.Equal("jurgen@contoso.com", pac.UpnDnsInfo!.Upn);
        Assert.Equal("CONTOSO.COM", pac.UpnDnsInfo.DnsDomainName);
        Assert.Equal(samNameAndSid ? UserName : null, pac.UpnDnsInfo.SamName);
        Assert.Equal(samNameAndSid ? PacSamples.DomainSid.WithRid(1105) : null, pac.UpnDnsInfo.Sid);
        Assert.True(pac.AttributesInfo!.PacWasGivenImplicitly);
        Assert.Equal(PacSamples.DomainSid.WithRid(1105), pac.Requestor!.Sid);

        Assert.True(PacSigner.VerifyServerSignature(bytes, PacSamples.ServerKey));
        Assert.True(PacSigner.VerifyKdcSignature(bytes, PacSamples.KdcKey));
        Assert.False(PacSigner.VerifyServerSignature(bytes, PacSamples.WrongKey));
        Assert.False(PacSigner.VerifyKdcSignature(bytes, PacSamples.WrongKey));

        var tampered = (byte[])bytes.Clone();
        tampered[200] ^= 0x40;
        Assert.False(PacSigner.VerifyServerSignature(tampered, PacSamples.ServerKey));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Impacket_parses_our_pac_and_verifies_our_signatures(bool samNameAndSid)
    {
        var builder = PacSamples.Builder(samNameAndSid: samNameAndSid);
        var pac = new PacBuilder
        {
            UserName = builder.UserName,
            Upn = builder.Upn,
            DnsDomainName = builder.DnsDomainName,
            NetBiosDomainName = builder.NetBiosDomainName,
            DomainSid = builder.DomainSid,
            UserRid = builder.UserRid,
            GroupRids = [512, 1106],
            ExtraSids = builder.ExtraSids,
            ResourceGroupDomainSid = SecurityIdentifier.Parse("S-1-5-21-9-8-7"),
            ResourceGroupRids = [1300, 1301],
            AuthTime = builder.AuthTime,
            FullName = builder.FullName,
            IncludeSamNameAndSid = samNameAndSid,
        }.Build();
        var signed = PacSigner.Sign(pac, PacSamples.ServerKey, PacSamples.KdcKey, TicketInput);

        var spec = new JsonObject
        {
            ["pac"] = Convert.ToHexString(signed),
            ["server_key"] = PacSamples.Hex(PacSamples.ServerKey),
            ["kdc_key"] = PacSamples.Hex(PacSamples.KdcKey),
            ["wrong_key"] = PacSamples.Hex(PacSamples.WrongKey),
            ["ticket_input"] = Convert.ToHexString(TicketInput),
        };
        using var result = JsonDocument.Parse((await ImpacketRunner.RunAsync("pac_parse_impacket.py", spec.ToJsonString())));
        var json = result.RootElement;

        var domain = PacSamples.DomainSid.ToString();
        Assert.Equal(0, json.GetProperty("version").GetInt32());
        Assert.Equal([1, 10, 12, 17, 18, 6, 7, 16, 19], Ints(json.GetProperty("buffer_types")));
        Assert.Equal(UserName, json.GetProperty("effective_name").GetString());
        Assert.Equal("Jürgen Fish 🐟", json.GetProperty("full_name").GetString());
        Assert.Equal("CONTOSO", json.GetProperty("logon_domain_name").GetString());
        Assert.Equal($"{domain}-1105", json.GetProperty("user_sid").GetString());
        Assert.Equal($"{domain}-513", json.GetProperty("primary_group_sid").GetString());
        Assert.Equal([$"{domain}-513", $"{domain}-512", $"{domain}-1106"], Strings(json.GetProperty("group_sids")));
        Assert.Equal([7, 7, 7], Ints(json.GetProperty("group_attributes")));
        Assert.Equal(["S-1-18-1", "S-1-5-21-1-2-3-4444"], json.GetProperty("extra_sids").EnumerateArray().Select(e => e.GetProperty("sid").GetString()!));
        Assert.Equal(["S-1-5-21-9-8-7-1300", "S-1-5-21-9-8-7-1301"], Strings(json.GetProperty("resource_group_sids")));
        Assert.Equal(0x220, json.GetProperty("user_flags").GetInt32());
        Assert.Equal(FileTime.FromDateTimeOffset(PacSamples.AuthTime).Value, json.GetProperty("logon_time").GetInt64());
        Assert.Equal(UserName, json.GetProperty("client_name").GetString());
        Assert.Equal(FileTime.FromDateTimeOffset(PacSamples.AuthTime).Value, json.GetProperty("client_id").GetInt64());
        Assert.Equal("jurgen@contoso.com", json.GetProperty("upn").GetString());
        Assert.Equal("CONTOSO.COM", json.GetProperty("dns_domain").GetString());
        Assert.Equal(samNameAndSid ? 2 : 0, json.GetProperty("upn_flags").GetInt32());
        if (samNameAndSid)
        {
            Assert.Equal(UserName, json.GetProperty("sam_name").GetString());
            Assert.Equal($"{domain}-1105", json.GetProperty("upn_sid").GetString());
        }
        else
        {
            Assert.False(json.TryGetProperty("sam_name", out _));
        }

        Assert.Equal([2, 2], Ints(json.GetProperty("attributes")));
        Assert.Equal($"{domain}-1105", json.GetProperty("requestor_sid").GetString());
        Assert.Equal(16, json.GetProperty("server_signature_type").GetInt32());
        Assert.Equal(16, json.GetProperty("kdc_signature_type").GetInt32());
        Assert.True(json.GetProperty("server_verified").GetBoolean());
        Assert.True(json.GetProperty("kdc_verified").GetBoolean());
        Assert.True(json.GetProperty("full_verified").GetBoolean());
        Assert.True(json.GetProperty("ticket_verified").GetBoolean());
        Assert.False(json.GetProperty("server_verified_wrong_key").GetBoolean());
        Assert.False(json.GetProperty("kdc_verified_wrong_key").GetBoolean());
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
