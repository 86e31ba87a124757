namespace KerberosCloudKdc.Protocol.Messages;

/// <summary>KrbFastArmor armor-type values (RFC 6113 §5.4.1, IANA "FAST Armor Types").</summary>
public enum FastArmorType
{
    /// <summary>FX_FAST_ARMOR_AP_REQUEST: armor-value is an AP-REQ, usually for a host's TGT (explicit armor).</summary>
    ApRequest = 1,
}
