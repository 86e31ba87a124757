using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Why a request was turned down: the KRB-ERROR code the client acts on, a short log-safe reason that
/// becomes the e-text, and for pre-authentication errors the METHOD-DATA e-data. A value, not an
/// exception, because refusals (PREAUTH_REQUIRED above all) are an ordinary part of every kinit.
/// </summary>
public sealed record Refusal(KerberosErrorCode Code, string Reason)
{
    /// <summary>Encoded e-data (METHOD-DATA for KDC_ERR_PREAUTH_REQUIRED); null for none.</summary>
    public ReadOnlyMemory<byte>? ErrorData { get; init; }

    /// <summary>What a request that is not a well-formed Kerberos message gets.</summary>
    public static Refusal Malformed { get; } = new(KerberosErrorCode.KRB_ERR_GENERIC, "malformed request");
}
