using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>Messages built in code: "Full" sets every optional field, "Minimal" leaves every one out.</summary>
internal static class MessageSamples
{
    public const string Realm = "EXAMPLE.TEST";

    public static readonly DateTimeOffset Time = new(2025, 6, 1, 12, 34, 56, TimeSpan.Zero);

    public static byte[] Bytes(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + (i * 13))).ToArray();

    public static PrincipalName Alice => new(PrincipalNameType.Principal, "alice");

    public static PrincipalName Service => new(PrincipalNameType.ServiceHost, "HTTP", "web.example.test");

    public static EncryptionKey Key(byte seed = 1) => new() { KeyType = EncryptionType.Aes256CtsHmacSha196, KeyValue = Bytes(32, seed) };

    public static EncryptedData Encrypted(uint? kvno = 2, byte seed = 3) =>
        new() { EncryptionType = EncryptionType.Aes256CtsHmacSha384192, KeyVersion = kvno, Cipher = Bytes(60, seed) };

    public static Checksum SampleChecksum => new() { Type = ChecksumType.HmacSha196Aes256, Value = Bytes(12, 5) };

    public static HostAddress Address(byte last = 1) => new() { Type = HostAddress.IPv4, Address = new byte[] { 192, 0, 2, last } };

    public static HostAddress Ipv6 => new() { Type = HostAddress.IPv6, Address = Bytes(16, 7) };

    public static Ticket SampleTicket(byte seed = 3) => new() { Realm = Realm, ServerName = PrincipalName.Krbtgt(Realm), EncryptedPart = Encrypted(2, seed) };

    public static IReadOnlyList<AuthorizationData> AuthData =>
    [
        AuthorizationData.WrapPac(Bytes(40, 9)),
        new() { Type = AuthorizationDataType.KdcIssued, Data = Bytes(5, 11) },
    ];

    public static IReadOnlyList<PaData> PaDataList =>
    [
        new PaPacRequest { IncludePac = true }.ToPaData(),
        new() { Type = PaDataType.EncTimestamp, Value = Bytes(20, 12) },
        new() { Type = PaDataType.ReqEncPaRep, Value = ReadOnlyMemory<byte>.Empty },
    ];

    public static KdcReqBody FullBody => new()
    {
        Options = KdcOptions.Forwardable | KdcOptions.Renewable | KdcOptions.Canonicalize | KdcOptions.RenewableOk,
        ClientName = Alice,
        Realm = Realm,
        ServerName = PrincipalName.Krbtgt(Realm),
        From = Time,
        Till = Time.AddHours(10),
        RenewTill = Time.AddDays(7),
        Nonce = 0xDEADBEEF,
        EncryptionTypes = [EncryptionType.Aes256CtsHmacSha384192, EncryptionType.Aes256CtsHmacSha196, EncryptionType.Rc4Hmac],
        Addresses = [Address(), Ipv6],
        EncryptedAuthorizationData = Encrypted(null, 14),
        AdditionalTickets = [SampleTicket(15), SampleTicket(16)],
    };

    public static KdcReqBody MinimalBody => new()
    {
        Options = KdcOptions.None,
        Realm = Realm,
        Till = Time,
        Nonce = 0,
        EncryptionTypes = [],
    };

    public static AsReq FullAsReq => new() { PaData = PaDataList, Body = FullBody };

    public static AsReq MinimalAsReq => new() { Body = MinimalBody };

    public static TgsReq FullTgsReq => new()
    {
        PaData = [new() { Type = PaDataType.TgsReq, Value = FullApReq.Encode() }, .. PaDataList],
        Body = FullBody,
    };

    public static TgsReq MinimalTgsReq => new() { Body = MinimalBody };

    public static AsRep FullAsRep => new()
    {
        PaData = [new() { Type = PaDataType.EtypeInfo2, Value = EtypeInfo2Entry.EncodeList(FullEtypeInfo) }],
        ClientRealm = Realm,
        ClientName = Alice,
        Ticket = SampleTicket(),
        EncryptedPart = Encrypted(7, 20),
    };

    public static AsRep MinimalAsRep => new() { ClientRealm = Realm, ClientName = Alice, Ticket = SampleTicket(), EncryptedPart = Encrypted(null, 20) };

    public static TgsRep FullTgsRep => new()
    {
        PaData = PaDataList,
        ClientRealm = Realm,
        ClientName = Alice,
        Ticket = SampleTicket(21),
        EncryptedPart = Encrypted(1, 22),
    };

    public static TgsRep MinimalTgsRep => new() { ClientRealm = Realm, ClientName = Alice, Ticket = SampleTicket(21), EncryptedPart = Encrypted(null, 22) };

    public static EncKdcRepPart FullEncKdcRepPart(int applicationTag = ApplicationTag.EncAsRepPart) => new()
    {
        ApplicationTag = applicationTag,
        Key = Key(30),
        LastRequests = [new() { Type = 0, Value = Time }, new() { Type = -6, Value = Time.AddDays(-1) }],
        Nonce = 0x80000001,
        KeyExpiration = Time.AddDays(90),
        Flags = TicketFlags.Forwardable | TicketFlags.Renewable | TicketFlags.Initial | TicketFlags.PreAuthent | TicketFlags.EncPaRep,
        AuthTime = Time,
        StartTime = Time.AddSeconds(1),
        EndTime = Time.AddHours(10),
        RenewTill = Time.AddDays(7),
        ServerRealm = Realm,
        ServerName = PrincipalName.Krbtgt(Realm),
        Addresses = [Address()],
        EncryptedPaData = [PaSupportedEncryptionTypes.ToPaData(PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196 | PaSupportedEncryptionTypes.Flags.Aes256CtsHmacSha196SessionKey)],
    };

    public static EncKdcRepPart MinimalEncKdcRepPart(int applicationTag = ApplicationTag.EncAsRepPart) => new()
    {
        ApplicationTag = applicationTag,
        Key = Key(31),
        LastRequests = [],
        Nonce = 1,
        Flags = TicketFlags.None,
        AuthTime = Time,
        EndTime = Time.AddHours(1),
        ServerRealm = Realm,
        ServerName = Service,
    };

    public static EncTicketPart FullEncTicketPart => new()
    {
        Flags = TicketFlags.Forwardable | TicketFlags.Initial | TicketFlags.PreAuthent,
        Key = Key(40),
        ClientRealm = Realm,
        ClientName = Alice,
        Transited = new TransitedEncoding { Type = TransitedEncoding.DomainX500Compress, Contents = "OTHER.TEST,"u8.ToArray() },
        AuthTime = Time,
        StartTime = Time,
        EndTime = Time.AddHours(10),
        RenewTill = Time.AddDays(7),
        Addresses = [Address(), Address(2)],
        AuthorizationData = AuthData,
    };

    public static EncTicketPart MinimalEncTicketPart => new()
    {
        Flags = TicketFlags.None,
        Key = Key(41),
        ClientRealm = Realm,
        ClientName = Alice,
        AuthTime = Time,
        EndTime = Time.AddHours(10),
    };

    public static ApReq FullApReq => new() { Options = ApOptions.MutualRequired | ApOptions.UseSessionKey, Ticket = SampleTicket(50), Authenticator = Encrypted(null, 51) };

    public static ApReq MinimalApReq => new() { Ticket = SampleTicket(52), Authenticator = Encrypted(null, 53) };

    public static Authenticator FullAuthenticator => new()
    {
        ClientRealm = Realm,
        ClientName = Alice,
        Checksum = SampleChecksum,
        ClientMicroseconds = 999_999,
        ClientTime = Time,
        Subkey = Key(60),
        SequenceNumber = 0xFFFFFFFF,
        AuthorizationData = AuthData,
    };

    public static Authenticator MinimalAuthenticator => new() { ClientRealm = Realm, ClientName = Alice, ClientMicroseconds = 0, ClientTime = Time };

    public static ApRep SampleApRep => new() { EncryptedPart = Encrypted(null, 70) };

    public static EncApRepPart FullEncApRepPart => new() { ClientTime = Time, ClientMicroseconds = 123_456, Subkey = Key(71), SequenceNumber = 0x80000000 };

    public static EncApRepPart MinimalEncApRepPart => new() { ClientTime = Time, ClientMicroseconds = 0 };

    public static KrbError FullKrbError => new()
    {
        ClientTime = Time,
        ClientMicroseconds = 17,
        ServerTime = Time.AddSeconds(2),
        ServerMicroseconds = 654_321,
        ErrorCode = KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED,
        ClientRealm = Realm,
        ClientName = Alice,
        Realm = Realm,
        ServerName = PrincipalName.Krbtgt(Realm),
        Text = "Additional pre-authentication required",
        Data = PaData.EncodeMethodData([new() { Type = PaDataType.EtypeInfo2, Value = EtypeInfo2Entry.EncodeList(FullEtypeInfo) }]),
    };

    public static KrbError MinimalKrbError => new()
    {
        ServerTime = Time,
        ServerMicroseconds = 0,
        ErrorCode = KerberosErrorCode.KDC_ERR_PREAUTH_REQUIRED,
        Realm = Realm,
        ServerName = PrincipalName.Krbtgt(Realm),
    };

    public static IReadOnlyList<EtypeInfo2Entry> FullEtypeInfo =>
    [
        new() { EncryptionType = EncryptionType.Aes256CtsHmacSha196, Salt = "EXAMPLE.TESTalice", S2kParams = new byte[] { 0, 0, 0x10, 0 } },
        new() { EncryptionType = EncryptionType.Aes128CtsHmacSha196 },
    ];

    public static KrbCred SampleKrbCred => new() { Tickets = [SampleTicket(80), SampleTicket(81)], EncryptedPart = Encrypted(null, 82) };

    public static KrbCredInfo FullKrbCredInfo => new()
    {
        Key = Key(90),
        ClientRealm = Realm,
        ClientName = Alice,
        Flags = TicketFlags.Forwardable | TicketFlags.Forwarded,
        AuthTime = Time,
        StartTime = Time.AddMinutes(1),
        EndTime = Time.AddHours(10),
        RenewTill = Time.AddDays(1),
        ServerRealm = Realm,
        ServerName = PrincipalName.Krbtgt(Realm),
        Addresses = [Address()],
    };

    public static KrbCredInfo MinimalKrbCredInfo => new() { Key = Key(91) };

    public static EncKrbCredPart FullEncKrbCredPart => new()
    {
        TicketInfo = [FullKrbCredInfo, MinimalKrbCredInfo],
        Nonce = 12345,
        Timestamp = Time,
        Microseconds = 42,
        SenderAddress = Address(7),
        RecipientAddress = Address(8),
    };

    public static EncKrbCredPart MinimalEncKrbCredPart => new() { TicketInfo = [] };

    public static PaEncTsEnc FullPaEncTsEnc => new() { Timestamp = Time, Microseconds = 123_456 };

    public static PaEncTsEnc MinimalPaEncTsEnc => new() { Timestamp = Time };

    public static IReadOnlyList<TypedData> TypedDataList =>
    [
        new() { Type = 3, Value = Bytes(6, 100) },
        new() { Type = -1 },
    ];
}
