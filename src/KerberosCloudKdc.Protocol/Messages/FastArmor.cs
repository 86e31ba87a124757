using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>
/// The FAST key schedule (RFC 6113 §5.4.1.1, §5.4.3, §5.4.6), all built on KRB-FX-CF2 (§5.1). The result of
/// CF2 has the enctype of its first key, so the order of arguments below is significant.
/// </summary>
/// <remarks>
/// What the MIT 1.20 golden TGS exchange shows (see tests/…/Fast/MitFastGoldenTests.cs): kvno sends
/// PA-FX-FAST with no armor field (implicit armor), the armor key is
/// <see cref="TgsImplicitArmorKey"/>(authenticator subkey, TGT session key), req-checksum (usage 50)
/// covers the PA-TGS-REQ AP-REQ bytes, and the TGS-REP enc-part is under
/// <see cref="StrengthenReplyKey"/>(strengthen-key, authenticator subkey) with usage 9.
/// </remarks>
public static class FastArmor
{
    /// <summary>
    /// Armor key of a FX_FAST_ARMOR_AP_REQUEST armor (explicit armor, e.g. a host TGT armoring an AS-REQ):
    /// KRB-FX-CF2(armor authenticator subkey, armor ticket session key, "subkeyarmor", "ticketarmor").
    /// </summary>
    public static KerberosKey ApRequestArmorKey(KerberosKey authenticatorSubkey, KerberosKey ticketSessionKey) =>
        KerberosEncryption.Cf2(authenticatorSubkey, ticketSessionKey, "subkeyarmor", "ticketarmor");

    /// <summary>
    /// The same, from the armor AP-REQ's decrypted parts. RFC 6113 requires the armor authenticator to carry
    /// a subkey (otherwise the armor key would be predictable from the ticket alone), so its absence is a
    /// protocol error. Checking the ticket's validity, the authenticator's time and replay is the KDC's job.
    /// </summary>
    public static KerberosKey ApRequestArmorKey(Authenticator armorAuthenticator, EncTicketPart armorTicket)
    {
        ArgumentNullException.ThrowIfNull(armorAuthenticator);
        ArgumentNullException.ThrowIfNull(armorTicket);
        var subkey = armorAuthenticator.Subkey ?? throw new KerberosProtocolException("FAST armor authenticator has no subkey.");
        return ApRequestArmorKey(subkey.ToKey(), armorTicket.Key.ToKey());
    }

    /// <summary>
    /// Implicit TGS armor (a TGS-REQ whose KrbFastArmoredReq has no armor field): the TGS-REQ's own
    /// PA-TGS-REQ authenticator subkey and TGT session key, combined exactly as for AP-REQ armor.
    /// </summary>
    public static KerberosKey TgsImplicitArmorKey(KerberosKey tgsAuthenticatorSubkey, KerberosKey tgtSessionKey) =>
        KerberosEncryption.Cf2(tgsAuthenticatorSubkey, tgtSessionKey, "subkeyarmor", "ticketarmor");

    /// <summary>
    /// Explicit armor in a TGS-REQ (Windows compound identity): the AP-REQ armor key is further bound to the
    /// TGS authenticator subkey, KRB-FX-CF2(explicit armor key, subkey, "explicitarmor", "tgsarmor").
    /// MIT's client (fast.c, krb5int_fast_tgs_armor) computes the same.
    /// </summary>
    public static KerberosKey TgsExplicitArmorKey(KerberosKey explicitArmorKey, KerberosKey tgsAuthenticatorSubkey) =>
        KerberosEncryption.Cf2(explicitArmorKey, tgsAuthenticatorSubkey, "explicitarmor", "tgsarmor");

    /// <summary>
    /// The reply key once KrbFastResponse carries a strengthen-key (§5.4.3):
    /// KRB-FX-CF2(strengthen-key, reply key, "strengthenkey", "replykey"). The reply key is the one the
    /// enc-part would use without FAST: the client's long-term key for AS, the authenticator subkey (usage 9)
    /// or TGT session key (usage 8) for TGS; the key usage does not change.
    /// </summary>
    public static KerberosKey StrengthenReplyKey(KerberosKey strengthenKey, KerberosKey replyKey) =>
        KerberosEncryption.Cf2(strengthenKey, replyKey, "strengthenkey", "replykey");

    /// <summary>
    /// PA-ENC-CHALLENGE (§5.4.6), client to KDC: an EncryptedData of PA-ENC-TS-ENC under
    /// KRB-FX-CF2(armor key, client long-term key, "clientchallengearmor", "challengelongterm"), usage 54.
    /// </summary>
    public static KerberosKey ClientChallengeKey(KerberosKey armorKey, KerberosKey longTermKey) =>
        KerberosEncryption.Cf2(armorKey, longTermKey, "clientchallengearmor", "challengelongterm");

    /// <summary>PA-ENC-CHALLENGE (§5.4.6), KDC to client: "kdcchallengearmor" instead, usage 55.</summary>
    public static KerberosKey KdcChallengeKey(KerberosKey armorKey, KerberosKey longTermKey) =>
        KerberosEncryption.Cf2(armorKey, longTermKey, "kdcchallengearmor", "challengelongterm");
}
