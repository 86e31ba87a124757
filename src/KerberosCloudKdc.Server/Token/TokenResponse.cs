using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// The JSON of a successful token response (docs/token-path.md §1.3, §1.4), in Entra's field order. Times
/// are strings except refresh_token_expires_in, as libhimmelblau and ROADtools read them.
/// </summary>
internal sealed record TokenResponse
{
    public required DateTimeOffset Now { get; init; }

    public required TimeSpan ExpiresIn { get; init; }

    public string? RefreshToken { get; init; }

    public string? SessionKeyJwe { get; init; }

    public required string IdToken { get; init; }

    public required Guid UserId { get; init; }

    public required Guid TenantId { get; init; }

    public TokenTicketSet? Tickets { get; init; }

    public required IReadOnlyList<string> KerberosTopLevelNames { get; init; }

    /// <summary>client_info: base64url of {"uid","utid"}.</summary>
    public static string ClientInfo(Guid userId, Guid tenantId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"uid":"{{userId:D}}","utid":"{{tenantId:D}}"}"""));

    public byte[] ToJson()
    {
        // Entra reports one second less than the full lifetime (1209599 for a 14-day PRT).
        var seconds = (long)ExpiresIn.TotalSeconds - 1;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("token_type", "Bearer");
            w.WriteString("expires_in", seconds.ToString(CultureInfo.InvariantCulture));
            w.WriteString("ext_expires_in", "0");
            w.WriteString("expires_on", (Now.ToUnixTimeSeconds() + seconds).ToString(CultureInfo.InvariantCulture));
            if (RefreshToken is not null)
            {
                w.WriteString("refresh_token", RefreshToken);
                w.WriteNumber("refresh_token_expires_in", (long)PrimaryRefreshToken.Lifetime.TotalSeconds);
            }

            if (SessionKeyJwe is not null)
            {
                w.WriteString("session_key_jwe", SessionKeyJwe);
            }

            w.WriteString("id_token", IdToken);
            w.WriteString("client_info", ClientInfo(UserId, TenantId));
            if (Tickets is { } tickets)
            {
                w.WriteString("tgt_cloud", tickets.Cloud);
                if (tickets.OnPremises is { } ad)
                {
                    w.WriteString("tgt_ad", ad);
                }
            }

            w.WriteString("kerberos_top_level_names", string.Join(',', KerberosTopLevelNames));
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
