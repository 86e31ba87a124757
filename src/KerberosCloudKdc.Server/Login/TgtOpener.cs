using System.Formats.Asn1;
using System.Security.Cryptography;
using KerberosCloudKdc.Protocol;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// Opens a tgt_cloud / tgt_ad the way CloudAP's AS_REP callback does: messageBuffer is a DER AS-REP whose enc-part is
/// encrypted with K_c (etype keyType, key usage 3), K_c playing the part the password key plays in kinit.
/// </summary>
internal static class TgtOpener
{
    public static OpenedTgt Open(TgtEnvelope envelope, byte[] clientKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(clientKey);
        var name = envelope.Name;
        var etype = (EncryptionType)envelope.KeyType;
        if (etype is not (EncryptionType.Aes128CtsHmacSha196 or EncryptionType.Aes256CtsHmacSha196))
        {
            // libhimmelblau accepts 17 and 18 only; so do we, rather than trusting a server-chosen legacy etype.
            throw new LoginException($"{name}: keyType {envelope.KeyType} is not AES (17 or 18)");
        }

        if (clientKey.Length != KerberosEncryption.KeySize(etype))
        {
            throw new LoginException($"{name}: the client key has {clientKey.Length} bytes; keyType {envelope.KeyType} needs {KerberosEncryption.KeySize(etype)}");
        }

        var buffer = JweParts.DecodeStandard(envelope.MessageBuffer, name + " messageBuffer");
        OpenedTgt opened;
        try
        {
            var reply = AsRep.Decode(buffer);
            var part = EncKdcRepPart.Decode(reply.EncryptedPart.Decrypt(new KerberosKey(etype, clientKey), KeyUsage.AsRepEncPart));
            opened = new OpenedTgt(envelope, reply, part, clientKey);
        }
        catch (Exception e) when (e is KerberosProtocolException or AsnContentException or CryptographicException)
        {
            throw new LoginException($"{name}: the AS-REP in messageBuffer does not decode or decrypt with the client key ({e.Message})", e);
        }

        if (opened.Part.ServerName.Components is not ["krbtgt", _])
        {
            throw new LoginException($"{name}: the AS-REP is for {opened.Part.ServerName}, not a krbtgt");
        }

        try
        {
            // Encoded now so a ticket the ccache format cannot hold (e.g. an end time past 2106) fails here, with a
            // message, rather than halfway through writing the file.
            _ = opened.ToCache().ToArray();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new LoginException($"{name}: the ticket cannot be stored in a credential cache ({e.Message})", e);
        }

        return opened;
    }
}
