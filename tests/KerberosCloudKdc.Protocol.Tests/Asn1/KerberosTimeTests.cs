using System.Text;
using KerberosCloudKdc.Protocol.Asn1;

namespace KerberosCloudKdc.Protocol.Tests.Asn1;

public sealed class KerberosTimeTests
{
    private static readonly DateTimeOffset Time = new(2025, 6, 1, 12, 34, 56, TimeSpan.Zero);

    private static byte[] GeneralizedTime(string text) => Der.Tlv(0x18, Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Writes_exactly_YYYYMMDDHHMMSSZ()
    {
        var encoded = Der.Write(w => w.WriteKerberosTime(Time));

        // 18 0F then the 15 ASCII characters "20250601123456Z".
        Assert.Equal("180F32303235303630313132333435365A", Der.ToHex(encoded));
    }

    [Fact]
    public void Explicit_time_is_wrapped_in_the_context_tag()
    {
        var encoded = Der.Write(w => w.WriteExplicitKerberosTime(5, Time));

        Assert.Equal("A511180F32303235303630313132333435365A", Der.ToHex(encoded));
    }

    [Fact]
    public void Fractional_seconds_are_dropped_on_write_not_rounded()
    {
        var encoded = Der.Write(w => w.WriteKerberosTime(Time.AddTicks(TimeSpan.TicksPerSecond - 1)));

        Assert.Equal(GeneralizedTime("20250601123456Z"), encoded);
    }

    [Theory]
    [InlineData(5, 30)]
    [InlineData(-8, 0)]
    [InlineData(14, 0)]
    public void Non_UTC_input_is_converted_to_UTC(int hours, int minutes)
    {
        var offset = new TimeSpan(hours, minutes, 0);
        var local = Time.ToOffset(offset);
        Assert.Equal(offset, local.Offset);

        var encoded = Der.Write(w => w.WriteKerberosTime(local));

        Assert.Equal(GeneralizedTime("20250601123456Z"), encoded);
    }

    [Fact]
    public void Local_time_crossing_midnight_changes_the_date_in_UTC()
    {
        var local = new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.FromHours(3));

        var encoded = Der.Write(w => w.WriteKerberosTime(local));

        Assert.Equal(GeneralizedTime("20241231220000Z"), encoded);
    }

    [Theory]
    [InlineData("20250601123456Z")]
    [InlineData("19700101000000Z")]
    [InlineData("99991231235959Z")]
    public void Reads_whole_second_UTC_times(string text)
    {
        var value = Der.Read(GeneralizedTime(text), r => r.ReadKerberosTime());

        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(text, value.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z");
        Assert.Equal(GeneralizedTime(text), Der.Write(w => w.WriteKerberosTime(value)));
    }

    [Theory]
    [InlineData("20250601123456.5Z")]
    [InlineData("20250601123456.123Z")]
    [InlineData("20250601123456.9999999Z")]
    [InlineData("20250601123456.00000001Z")] // finer than a tick: still fractional seconds
    [InlineData("20250601123456.000000000001Z")]
    public void Fractional_seconds_are_refused_on_read(string text)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(GeneralizedTime(text), r => r.ReadKerberosTime()));
    }

    [Theory]
    [InlineData("20250601123456")] // local time
    [InlineData("20250601123456+0100")] // offset
    [InlineData("20250601123456.0Z")] // trailing zero fraction, not DER
    [InlineData("202506011234Z")] // no seconds
    [InlineData("20251301123456Z")] // month 13
    [InlineData("20250631123456Z")] // 31 June
    [InlineData("2025060112345xZ")]
    [InlineData("")]
    public void Non_DER_or_invalid_times_are_refused(string text)
    {
        Assert.Throws<KerberosProtocolException>(() => Der.Read(GeneralizedTime(text), r => r.ReadKerberosTime()));
    }

    [Fact]
    public void UTCTime_is_not_a_KerberosTime()
    {
        var utcTime = Der.Tlv(0x17, Encoding.ASCII.GetBytes("250601123456Z"));

        Assert.Throws<KerberosProtocolException>(() => Der.Read(utcTime, r => r.ReadKerberosTime()));
    }
}
