using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

public class KerberosSaltTests
{
    [Fact]
    public void Realm_then_components_without_separators()
    {
        Assert.Equal("ATHENA.MIT.EDUraeburn", KerberosSalt.ForPrincipal("ATHENA.MIT.EDU", ["raeburn"]));
        Assert.Equal("EXAMPLE.COMhostwww.example.com", KerberosSalt.ForPrincipal("EXAMPLE.COM", ["host", "www.example.com"]));
        Assert.Equal("EXAMPLE.COM", KerberosSalt.ForPrincipal("EXAMPLE.COM", []));
    }
}
