using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>Field-by-field equality for decoded messages (the records have no value equality of their own).</summary>
internal static class MessageAssert
{
    public static void Equal(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual) =>
        Assert.Equal(expected.ToArray(), actual.ToArray());

    public static void Equal(ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte>? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e)
        {
            Equal(e, actual!.Value);
        }
    }

    public static void Equal(PrincipalName? expected, PrincipalName? actual)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.Type, a.Type);
            Assert.Equal(e.Components, a.Components);
        }
    }

    public static void Equal(EncryptedData? expected, EncryptedData? actual)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.EncryptionType, a.EncryptionType);
            Assert.Equal(e.KeyVersion, a.KeyVersion);
            Equal(e.Cipher, a.Cipher);
        }
    }

    public static void Equal(EncryptionKey? expected, EncryptionKey? actual)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.KeyType, a.KeyType);
            Equal(e.KeyValue, a.KeyValue);
        }
    }

    public static void Equal(Checksum? expected, Checksum? actual)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.Type, a.Type);
            Equal(e.Value, a.Value);
        }
    }

    public static void Equal(HostAddress? expected, HostAddress? actual)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.Type, a.Type);
            Equal(e.Address, a.Address);
        }
    }

    public static void Equal(Ticket? expected, Ticket? actual)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.Realm, a.Realm);
            Equal(e.ServerName, a.ServerName);
            Equal(e.EncryptedPart, a.EncryptedPart);
        }
    }

    public static void Equal(AuthorizationData expected, AuthorizationData actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Equal(expected.Data, actual.Data);
    }

    public static void Equal(PaData expected, PaData actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Equal(expected.Value, actual.Value);
    }

    public static void Equal(LastReq expected, LastReq actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Value, actual.Value);
    }

    public static void Equal(TransitedEncoding expected, TransitedEncoding actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Equal(expected.Contents, actual.Contents);
    }

    public static void Equal(EtypeInfo2Entry expected, EtypeInfo2Entry actual)
    {
        Assert.Equal(expected.EncryptionType, actual.EncryptionType);
        Assert.Equal(expected.Salt, actual.Salt);
        Equal(expected.S2kParams, actual.S2kParams);
    }

    public static void Equal(TypedData expected, TypedData actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Equal(expected.Value, actual.Value);
    }

    public static void Equal(KdcReqBody expected, KdcReqBody actual)
    {
        Assert.Equal(expected.Options, actual.Options);
        Equal(expected.ClientName, actual.ClientName);
        Assert.Equal(expected.Realm, actual.Realm);
        Equal(expected.ServerName, actual.ServerName);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.Till, actual.Till);
        Assert.Equal(expected.RenewTill, actual.RenewTill);
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.EncryptionTypes, actual.EncryptionTypes);
        List(expected.Addresses, actual.Addresses, Equal);
        Equal(expected.EncryptedAuthorizationData, actual.EncryptedAuthorizationData);
        List(expected.AdditionalTickets, actual.AdditionalTickets, Equal);
    }

    public static void Equal(KdcRequest expected, KdcRequest actual)
    {
        Assert.Equal(expected.MessageType, actual.MessageType);
        List(expected.PaData, actual.PaData, Equal);
        Equal(expected.Body, actual.Body);
    }

    public static void Equal(KdcReply expected, KdcReply actual)
    {
        Assert.Equal(expected.MessageType, actual.MessageType);
        List(expected.PaData, actual.PaData, Equal);
        Assert.Equal(expected.ClientRealm, actual.ClientRealm);
        Equal(expected.ClientName, actual.ClientName);
        Equal(expected.Ticket, actual.Ticket);
        Equal(expected.EncryptedPart, actual.EncryptedPart);
    }

    public static void Equal(EncKdcRepPart expected, EncKdcRepPart actual)
    {
        Assert.Equal(expected.ApplicationTag, actual.ApplicationTag);
        Equal(expected.Key, actual.Key);
        List(expected.LastRequests, actual.LastRequests, Equal);
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.KeyExpiration, actual.KeyExpiration);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.AuthTime, actual.AuthTime);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.EndTime, actual.EndTime);
        Assert.Equal(expected.RenewTill, actual.RenewTill);
        Assert.Equal(expected.ServerRealm, actual.ServerRealm);
        Equal(expected.ServerName, actual.ServerName);
        List(expected.Addresses, actual.Addresses, Equal);
        List(expected.EncryptedPaData, actual.EncryptedPaData, Equal);
    }

    public static void Equal(EncTicketPart expected, EncTicketPart actual)
    {
        Assert.Equal(expected.Flags, actual.Flags);
        Equal(expected.Key, actual.Key);
        Assert.Equal(expected.ClientRealm, actual.ClientRealm);
        Equal(expected.ClientName, actual.ClientName);
        Equal(expected.Transited, actual.Transited);
        Assert.Equal(expected.AuthTime, actual.AuthTime);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.EndTime, actual.EndTime);
        Assert.Equal(expected.RenewTill, actual.RenewTill);
        List(expected.Addresses, actual.Addresses, Equal);
        List(expected.AuthorizationData, actual.AuthorizationData, Equal);
    }

    public static void Equal(ApReq expected, ApReq actual)
    {
        Assert.Equal(expected.Options, actual.Options);
        Equal(expected.Ticket, actual.Ticket);
        Equal(expected.Authenticator, actual.Authenticator);
    }

    public static void Equal(Authenticator expected, Authenticator actual)
    {
        Assert.Equal(expected.ClientRealm, actual.ClientRealm);
        Equal(expected.ClientName, actual.ClientName);
        Equal(expected.Checksum, actual.Checksum);
        Assert.Equal(expected.ClientMicroseconds, actual.ClientMicroseconds);
        Assert.Equal(expected.ClientTime, actual.ClientTime);
        Equal(expected.Subkey, actual.Subkey);
        Assert.Equal(expected.SequenceNumber, actual.SequenceNumber);
        List(expected.AuthorizationData, actual.AuthorizationData, Equal);
    }

    public static void Equal(EncApRepPart expected, EncApRepPart actual)
    {
        Assert.Equal(expected.ClientTime, actual.ClientTime);
        Assert.Equal(expected.ClientMicroseconds, actual.ClientMicroseconds);
        Equal(expected.Subkey, actual.Subkey);
        Assert.Equal(expected.SequenceNumber, actual.SequenceNumber);
    }

    public static void Equal(KrbError expected, KrbError actual)
    {
        Assert.Equal(expected.ClientTime, actual.ClientTime);
        Assert.Equal(expected.ClientMicroseconds, actual.ClientMicroseconds);
        Assert.Equal(expected.ServerTime, actual.ServerTime);
        Assert.Equal(expected.ServerMicroseconds, actual.ServerMicroseconds);
        Assert.Equal(expected.ErrorCode, actual.ErrorCode);
        Assert.Equal(expected.ClientRealm, actual.ClientRealm);
        Equal(expected.ClientName, actual.ClientName);
        Assert.Equal(expected.Realm, actual.Realm);
        Equal(expected.ServerName, actual.ServerName);
        Assert.Equal(expected.Text, actual.Text);
        Equal(expected.Data, actual.Data);
    }

    public static void Equal(KrbCredInfo expected, KrbCredInfo actual)
    {
        Equal(expected.Key, actual.Key);
        Assert.Equal(expected.ClientRealm, actual.ClientRealm);
        Equal(expected.ClientName, actual.ClientName);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.AuthTime, actual.AuthTime);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.EndTime, actual.EndTime);
        Assert.Equal(expected.RenewTill, actual.RenewTill);
        Assert.Equal(expected.ServerRealm, actual.ServerRealm);
        Equal(expected.ServerName, actual.ServerName);
        List(expected.Addresses, actual.Addresses, Equal);
    }

    public static void Equal(EncKrbCredPart expected, EncKrbCredPart actual)
    {
        List(expected.TicketInfo, actual.TicketInfo, Equal);
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Microseconds, actual.Microseconds);
        Equal(expected.SenderAddress, actual.SenderAddress);
        Equal(expected.RecipientAddress, actual.RecipientAddress);
    }

    public static void Equal(KrbCred expected, KrbCred actual)
    {
        List(expected.Tickets, actual.Tickets, Equal);
        Equal(expected.EncryptedPart, actual.EncryptedPart);
    }

    public static void Equal(PaEncTsEnc expected, PaEncTsEnc actual)
    {
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Microseconds, actual.Microseconds);
    }

    public static void List<T>(IReadOnlyList<T>? expected, IReadOnlyList<T>? actual, Action<T, T> equal)
    {
        if (Both(expected, actual, out var e, out var a))
        {
            Assert.Equal(e.Count, a.Count);
            for (var i = 0; i < e.Count; i++)
            {
                equal(e[i], a[i]);
            }
        }
    }

    private static bool Both<T>(T? expected, T? actual, out T e, out T a)
        where T : class
    {
        if (expected is null)
        {
            Assert.Null(actual);
            (e, a) = (default!, default!);
            return false;
        }

        Assert.NotNull(actual);
        (e, a) = (expected, actual);
        return true;
    }
}
