using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Kdc.Tests.Support;

/// <summary>A TGT as the client holds it.</summary>
internal sealed record ClientTgt(AsRep Reply, EncKdcRepPart Part, KerberosKey SessionKey)
{
    public Ticket Ticket => Reply.Ticket;

    public PrincipalName ClientName => Reply.ClientName;

    public string ClientRealm => Reply.ClientRealm;
}

/// <summary>Knobs for a TGS-REQ, including the ways a test breaks one.</summary>
internal sealed record TgsRequestOptions
{
    public KdcOptions Options { get; init; } = KdcOptions.Forwardable | KdcOptions.Canonicalize;

    public KerberosKey? Subkey { get; init; }

    public DateTimeOffset? AuthenticatorTime { get; init; }

    public PrincipalName? AuthenticatorName { get; init; }

    public bool OmitChecksum { get; init; }

    /// <summary>An unkeyed or other-etype checksum type to put in the authenticator.</summary>
    public ChecksumType? ChecksumType { get; init; }

    /// <summary>Computes the checksum over one body but sends another (a changed nonce).</summary>
    public bool TamperBody { get; init; }

    public DateTimeOffset? Till { get; init; }

    public DateTimeOffset? RenewTill { get; init; }

    public IReadOnlyList<EncryptionType> Etypes { get; init; } = [EncryptionType.Aes256CtsHmacSha196];

    public uint Nonce { get; init; } = 777;
}

/// <summary>
/// A minimal Kerberos client built only from Protocol types: it builds AS-REQ and TGS-REQ the way MIT
/// does and opens the replies, so the engine is tested from the wire.
/// </summary>
internal static class TestClient
{
    public static readonly EncryptionType[] DefaultEtypes = [EncryptionType.Aes256CtsHmacSha196, EncryptionType.Aes128CtsHmacSha196];

    public static PrincipalName Enterprise(string upn) => new(PrincipalNameType.Enterprise, upn);

    public static PrincipalName Principal(params string[] components) => new(PrincipalNameType.Principal, components);

    public static PrincipalName Service(string spn) => new(PrincipalNameType.ServiceInstance, spn.Split('/'));

    public static AsReq AsRequest(
        PrincipalName client,
        KerberosKey? timestampKey,
        DateTimeOffset clientTime,
        KdcOptions options = KdcOptions.Forwardable | KdcOptions.Renewable,
        DateTimeOffset? till = null,
        DateTimeOffset? renewTill = null,
        IReadOnlyList<EncryptionType>? etypes = null,
        IReadOnlyList<PaData>? extraPaData = null,
        string realm = CloudRealm.Name,
        PrincipalName? server = null,
        uint nonce = 12345)
    {
        var paData = new List<PaData>();
        if (timestampKey is not null)
        {
            paData.Add(TimestampPaData(timestampKey, clientTime));
        }

        paData.AddRange(extraPaData ?? []);
        return new AsReq
        {
            PaData = paData.Count > 0 ? paData : null,
            Body = new KdcReqBody
            {
                Options = options,
                ClientName = client,
                Realm = realm,
                ServerName = server ?? PrincipalName.Krbtgt(CloudRealm.Name),
                Till = till ?? clientTime.AddDays(1),
                RenewTill = renewTill,
                Nonce = nonce,
                EncryptionTypes = etypes ?? DefaultEtypes,
            },
        };
    }

    public static PaData TimestampPaData(KerberosKey key, DateTimeOffset time)
    {
        var plain = new PaEncTsEnc { Timestamp = time, Microseconds = 0 }.Encode();
        var encrypted = EncryptedData.Encrypt(key, KeyUsage.PaEncTimestamp, plain, new SeededRandom(1));
        return new PaData { Type = PaDataType.EncTimestamp, Value = KerberosAsn1.Encode(encrypted) };
    }

    public static (AsRep Reply, EncKdcRepPart Part) OpenAsReply(KdcResponse response, KerberosKey key)
    {
        AssertSucceeded(response);
        var reply = AsRep.Decode(response.Reply);
        var part = EncKdcRepPart.Decode(reply.EncryptedPart.Decrypt(key, KeyUsage.AsRepEncPart));
        Assert.Equal(ApplicationTag.EncAsRepPart, part.ApplicationTag);
        return (reply, part);
    }

    public static async Task<ClientTgt> LoginAsync(TestRealm realm, PrincipalName? client = null, KdcOptions options = KdcOptions.Forwardable | KdcOptions.Renewable | KdcOptions.Canonicalize, string upn = "alice@contoso.com")
    {
        var key = TestRealm.UserKey(upn);
        var response = await realm.SendAsync(AsRequest(client ?? Enterprise(upn), key, realm.Clock.Now, options).Encode());
        var (reply, part) = OpenAsReply(response, key);
        return new ClientTgt(reply, part, part.Key.ToKey());
    }

    public static TgsReq TgsRequest(ClientTgt tgt, PrincipalName server, DateTimeOffset now, TgsRequestOptions? options = null) =>
        TgsRequest(tgt.Ticket, tgt.SessionKey, tgt.ClientName, tgt.ClientRealm, server, now, options);

    public static TgsReq TgsRequest(Ticket ticket, KerberosKey sessionKey, PrincipalName clientName, string clientRealm, PrincipalName server, DateTimeOffset now, TgsRequestOptions? options = null)
    {
        options ??= new TgsRequestOptions();
        KdcReqBody MakeBody(uint nonce) => new()
        {
            Options = options.Options,
            Realm = CloudRealm.Name,
            ServerName = server,
            Till = options.Till ?? now.AddHours(10),
            RenewTill = options.RenewTill,
            Nonce = nonce,
            EncryptionTypes = options.Etypes,
        };

        // Encode and decode, so the checksum covers exactly the bytes sent, as a real client's would.
        var body = KerberosAsn1.Decode(KerberosAsn1.Encode(MakeBody(options.Nonce)), KdcReqBody.Read);
        var checksumType = options.ChecksumType ?? KerberosChecksum.ForEncryptionType(sessionKey.EncryptionType);
        Checksum? checksum = null;
        if (!options.OmitChecksum)
        {
            var value = KerberosChecksum.IsSupported(checksumType) && KerberosChecksum.ForEncryptionType(sessionKey.EncryptionType) == checksumType
                ? KerberosChecksum.Compute(checksumType, sessionKey, KeyUsage.PaTgsReqChecksum, body.Encoded.Span)
                : new byte[16];
            checksum = new Checksum { Type = checksumType, Value = value };
        }

        var authenticator = new Authenticator
        {
            ClientRealm = clientRealm,
            ClientName = options.AuthenticatorName ?? clientName,
            Checksum = checksum,
            ClientMicroseconds = 0,
            ClientTime = options.AuthenticatorTime ?? now,
            Subkey = options.Subkey is { } subkey ? EncryptionKey.From(subkey) : null,
            SequenceNumber = 1,
        };

        var apReq = new ApReq
        {
            Ticket = ticket,
            Authenticator = EncryptedData.Encrypt(sessionKey, KeyUsage.PaTgsReqAuthenticator, authenticator.Encode(), new SeededRandom(2)),
        };

        return new TgsReq
        {
            PaData = [new PaData { Type = PaDataType.TgsReq, Value = apReq.Encode() }],
            Body = options.TamperBody ? MakeBody(options.Nonce + 1) : body,
        };
    }

    public static (TgsRep Reply, EncKdcRepPart Part) OpenTgsReply(KdcResponse response, KerberosKey key, KeyUsage usage)
    {
        AssertSucceeded(response);
        var reply = TgsRep.Decode(response.Reply);
        var part = EncKdcRepPart.Decode(reply.EncryptedPart.Decrypt(key, usage));
        Assert.Equal(ApplicationTag.EncTgsRepPart, part.ApplicationTag);
        return (reply, part);
    }

    public static EncTicketPart OpenTicket(Ticket ticket, KerberosKey key) =>
        EncTicketPart.Decode(ticket.EncryptedPart.Decrypt(key, KeyUsage.TicketEncPart));

    public static void AssertSucceeded(KdcResponse response)
    {
        Assert.True(response.Outcome.Succeeded, $"{response.Outcome.ErrorCode}: {response.Outcome.Reason}");
    }

    /// <summary>The reply must be a KRB-ERROR with this code, and the outcome must say the same.</summary>
    public static KrbError AssertError(KdcResponse response, KerberosErrorCode code)
    {
        Assert.Equal(MessageType.KrbError, KerberosMessage.PeekType(response.Reply));
        var error = KrbError.Decode(response.Reply);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(code, response.Outcome.ErrorCode);
        Assert.False(string.IsNullOrEmpty(error.Text));
        Assert.Equal(response.Outcome.Reason, error.Text);
        return error;
    }
}
