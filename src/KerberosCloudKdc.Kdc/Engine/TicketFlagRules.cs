using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Engine;

/// <summary>
/// Which KDC options are refused, granted or inherited, as tables rather than scattered ifs. The refusal
/// rows follow MIT krb5kdc (AS_INVALID_OPTIONS in kdc_util.h, tgsflagrules in tgs_policy.c).
/// </summary>
internal static class TicketFlagRules
{
    /// <summary>Options that make no sense in an AS-REQ (they need a ticket to act on).</summary>
    public static readonly (KdcOptions Option, string Reason)[] AsRefused =
    [
        (KdcOptions.Forwarded, "FORWARDED is not valid in an AS request"),
        (KdcOptions.Proxy, "PROXY is not valid in an AS request"),
        (KdcOptions.Validate, "VALIDATE is not valid in an AS request"),
        (KdcOptions.Renew, "RENEW is not valid in an AS request"),
        (KdcOptions.EncTicketInSessionKey, "user-to-user is not valid in an AS request"),
        (KdcOptions.CnameInAdditionalTicket, "S4U2proxy is not valid in an AS request"),
        // Not issued: MIT insists the start time equals the requested from, so starting now would be worse than no.
        (KdcOptions.Postdated, "postdated tickets are not issued"),
    ];

    /// <summary>TGS options this realm does not implement (Entra issues neither user-to-user nor S4U tickets).</summary>
    public static readonly (KdcOptions Option, string Reason)[] TgsUnsupported =
    [
        (KdcOptions.Validate, "VALIDATE is not supported (no postdated tickets are issued)"),
        (KdcOptions.EncTicketInSessionKey, "user-to-user is not supported"),
        (KdcOptions.CnameInAdditionalTicket, "S4U2proxy is not supported"),
    ];

    /// <summary>TGS options that need a flag on the presented TGT, else KDC_ERR_BADOPTION.</summary>
    public static readonly (KdcOptions Option, TicketFlags Needed, string Reason)[] TgsNeedsTgtFlag =
    [
        (KdcOptions.Forwarded, TicketFlags.Forwardable, "TGT not forwardable"),
        (KdcOptions.Proxy, TicketFlags.Proxiable, "TGT not proxiable"),
        (KdcOptions.Postdated, TicketFlags.MayPostdate, "TGT not postdatable"),
        (KdcOptions.Renew, TicketFlags.Renewable, "TGT not renewable"),
    ];

    /// <summary>Flags an AS reply grants when the option is asked for (RENEWABLE is decided with the lifetimes).</summary>
    public static readonly (KdcOptions Option, TicketFlags Flag)[] AsGranted =
    [
        (KdcOptions.Forwardable, TicketFlags.Forwardable),
    ];

    /// <summary>Flags a TGS reply grants when asked for and the TGT carries the same flag (silently dropped otherwise, as MIT does).</summary>
    public static readonly (KdcOptions Option, TicketFlags Flag, TicketFlags TgtNeeds)[] TgsGranted =
    [
        (KdcOptions.Forwardable, TicketFlags.Forwardable, TicketFlags.Forwardable),
        (KdcOptions.Forwarded, TicketFlags.Forwarded, TicketFlags.Forwardable),
    ];

    /// <summary>Flags every ticket derived from a TGT inherits: how the client authenticated, and forwarding history.</summary>
    public const TicketFlags Inherited = TicketFlags.PreAuthent | TicketFlags.HwAuthent | TicketFlags.Forwarded;

    /// <summary>Flags the AS always sets: the ticket came from the client's key, after encrypted-timestamp pre-authentication.</summary>
    public const TicketFlags AsAlways = TicketFlags.Initial | TicketFlags.PreAuthent;

    public static Refusal? CheckRefused((KdcOptions Option, string Reason)[] table, KdcOptions options)
    {
        foreach (var (option, reason) in table)
        {
            if ((options & option) != 0)
            {
                return new Refusal(KerberosErrorCode.KDC_ERR_BADOPTION, reason);
            }
        }

        return null;
    }

    public static Refusal? CheckTgtFlags(KdcOptions options, TicketFlags tgtFlags)
    {
        foreach (var (option, needed, reason) in TgsNeedsTgtFlag)
        {
            if ((options & option) != 0 && (tgtFlags & needed) == 0)
            {
                return new Refusal(KerberosErrorCode.KDC_ERR_BADOPTION, reason);
            }
        }

        return null;
    }

    public static TicketFlags GrantAs(KdcOptions options)
    {
        var flags = AsAlways;
        foreach (var (option, flag) in AsGranted)
        {
            if ((options & option) != 0)
            {
                flags |= flag;
            }
        }

        return flags;
    }

    public static TicketFlags GrantTgs(KdcOptions options, TicketFlags tgtFlags)
    {
        var flags = tgtFlags & Inherited;
        foreach (var (option, flag, tgtNeeds) in TgsGranted)
        {
            if ((options & option) != 0 && (tgtFlags & tgtNeeds) != 0)
            {
                flags |= flag;
            }
        }

        return flags;
    }
}
