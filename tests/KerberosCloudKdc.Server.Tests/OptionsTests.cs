using KerberosCloudKdc.Server.Hosting;

namespace KerberosCloudKdc.Server.Tests;

public sealed class OptionsTests
{
    private static List<string> Validate(CloudKdcOptions options) =>
        new CloudKdcOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Defaults_are_valid() => Assert.Empty(Validate(new CloudKdcOptions()));

    [Theory]
    [InlineData("login.microsoftonline.com")]
    [InlineData("ftp://login.microsoftonline.com")]
    [InlineData("https://login.microsoftonline.com/path")]
    public void Public_origin_must_be_an_http_origin(string origin) =>
        Assert.Contains(Validate(new CloudKdcOptions { PublicOrigin = origin }), e => e.StartsWith("CloudKdc:PublicOrigin", StringComparison.Ordinal));

    [Fact]
    public void Other_settings_are_checked_with_their_names()
    {
        var options = new CloudKdcOptions { MaxRequestBytes = 10, TcpPort = 70000, UdpPort = -1, SeedFile = "/nope/seed.json", KdcListenAddress = "nowhere" };
        options.CertificateNames.Add("bad name!");
        var errors = Validate(options);
        foreach (var setting in new[] { "MaxRequestBytes", "TcpPort", "UdpPort", "SeedFile", "KdcListenAddress", "CertificateNames" })
        {
            Assert.Contains(errors, e => e.StartsWith("CloudKdc:" + setting, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Https_origin_with_trailing_slash_is_accepted() =>
        Assert.Empty(Validate(new CloudKdcOptions { PublicOrigin = "https://login.microsoftonline.com/" }));
}
