using System.Text;
using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Tests.Crypto;

/// <summary>RFC 3961 Appendix A.1: every n-fold vector.</summary>
public class NFoldTests
{
    [Theory]
    [InlineData("012345", 64, "be072631276b1955")]
    [InlineData("password", 56, "78a07b6caf85fa")]
    [InlineData("Rough Consensus, and Running Code", 64, "bb6ed30870b7f0e0")]
    [InlineData("password", 168, "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e")]
    [InlineData("MASSACHVSETTS INSTITVTE OF TECHNOLOGY", 192, "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b")]
    [InlineData("Q", 168, "518a54a2 15a8452a 518a54a2 15a8452a 518a54a2 15")]
    [InlineData("ba", 168, "fb25d531 ae897449 9f52fd92 ea9857c4 ba24cf29 7e")]
    [InlineData("kerberos", 64, "6b657262 65726f73")]
    [InlineData("kerberos", 128, "6b657262 65726f73 7b9b5b2b 93132b93")]
    [InlineData("kerberos", 168, "8372c236 344e5f15 50cd0747 e15d62ca 7a5a3bce a4")]
    [InlineData("kerberos", 256, "6b657262 65726f73 7b9b5b2b 93132b93 5c9bdcda d95c9899 c4cae4de e6d6cae4")]
    public void Rfc3961_vectors(string input, int bits, string expected)
    {
        byte[] output = new byte[bits / 8];
        NFold.Fold(Encoding.ASCII.GetBytes(input), output);
        Assert.Equal(Hex.Format(Hex.Parse(expected)), Hex.Format(output));
    }

    [Fact]
    public void Empty_input_is_a_protocol_error()
    {
        byte[] output = new byte[16];
        Assert.Throws<KerberosProtocolException>(() => NFold.Fold([], output));
    }
}
