using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Pac;

namespace KerberosCloudKdc.Protocol.Tests.Pac;

/// <summary>A PAC a real Windows Server 2003 DC issued (Samba's published torture vector; see Golden/Pac/README.md).</summary>
public class WindowsPacVectorTests
{
    private static readonly byte[] Vector = Convert.FromHexString(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Pac", "win2003-samba-torture.hex")).Replace("\n", string.Empty, StringComparison.Ordinal));

    [Fact]
    public void Decodes_the_logon_info_windows_wrote()
    {
        var pac = PrivilegeAttributeCertificate.Decode(Vector);

        Assert.Equal([PacBufferType.LogonInfo, PacBufferType.ClientInfo, PacBufferType.ServerChecksum, PacBufferType.KdcChecksum], pac.Buffers.Select(b => b.Type));
        var logon = pac.LogonInfo!;
        Assert.Equal("W2003FINAL$", logon.EffectiveName);
        Assert.Equal(string.Empty, logon.FullName);
        Assert.Equal(string.Empty, logon.HomeDirectoryDrive);
        Assert.Equal("W2003FINAL", logon.LogonServer);
        Assert.Equal("WIN2K3THINK", logon.LogonDomainName);
        Assert.Equal(SecurityIdentifier.Parse("S-1-5-21-3048156945-3961193616-3706469200-1005"), logon.UserSid);
        Assert.Equal(516u, logon.PrimaryGroupId);
        Assert.Equal([new GroupMembership(516, GroupAttributes.DefaultGroup)], logon.GroupIds);
        Assert.Equal([new SidAndAttributes(SecurityIdentifier.Parse("S-1-5-9"), GroupAttributes.DefaultGroup)], logon.ExtraSids);
        Assert.Equal(UserFlags.ExtraSidsPresent, logon.UserFlags);
        Assert.Equal((ushort)101, logon.LogonCount);
        Assert.True(logon.LogoffTime.IsNever);
        Assert.Null(logon.ResourceGroupDomainSid);
        Assert.Empty(logon.ResourceGroupIds);
    }

    [Fact]
    public void Decodes_client_info_and_rc4_signatures_it_cannot_verify()
    {
        var pac = PrivilegeAttributeCertificate.Decode(Vector);

        Assert.Equal("w2003final$", pac.ClientInfo!.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1120440609), pac.ClientInfo.ClientId.ToDateTimeOffset());
        Assert.Equal(ChecksumType.HmacMd5, pac.ServerSignature!.SignatureType);
        Assert.Equal(16, pac.ServerSignature.Signature.Length);
        Assert.Null(pac.ServerSignature.RodcIdentifier);
        Assert.Equal(ChecksumType.HmacMd5, pac.KdcSignature!.SignatureType);
        Assert.False(PacSigner.VerifyServerSignature(Vector, PacSamples.ServerKey));
    }

    [Fact]
    public void Our_encoding_of_its_logon_info_differs_only_where_windows_reserved_a_terminator()
    {
        var original = Vector.AsSpan(0x48, 0x1d8).ToArray();

        var ours = PrivilegeAttributeCertificate.Decode(Vector).LogonInfo!.Encode();

        // Windows wrote MaximumLength = Length + 2 (and MaxCount + 1) for LogonServer and
        // LogonDomainName; we write MaximumLength = Length. Everything else (referent ids,
        // alignment, padding, header lengths) must match byte for byte.
        Assert.Equal(original.Length, ours.Length);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != ours[i]).ToArray();
        // 158 and 166: MaximumLength of LogonServer and LogonDomainName (16-byte header + 4-byte
        // referent + field offsets 136 and 144 + 2); 344 and 376: the MaxCount of their arrays.
        Assert.Equal([158, 166, 344, 376], differing);
    }
}
