namespace KerberosCloudKdc.Protocol.Files;

/// <summary>Both formats store times as unsigned 32-bit seconds since 1970, which runs out in 2106.</summary>
internal static class FileTime
{
    public static DateTimeOffset FromSeconds(uint seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    /// <summary>Rejects what the file cannot hold, so writing never silently changes a time.</summary>
    public static DateTimeOffset Check(DateTimeOffset value, string paramName)
    {
        var seconds = value.ToUnixTimeSeconds();
        if (seconds < 0 || seconds > uint.MaxValue || value.UtcTicks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(paramName, "Must be whole seconds between 1970 and 2106.");
        }

        return value;
    }

    public static uint ToSeconds(DateTimeOffset value) => (uint)value.ToUnixTimeSeconds();
}
