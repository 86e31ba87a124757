using KerberosCloudKdc.Protocol.Asn1;
using KerberosCloudKdc.Protocol.Kkdcp;
using KerberosCloudKdc.Protocol.Messages;
using static KerberosCloudKdc.Protocol.Tests.Messages.MessageSamples;

namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>
/// A decoder under test. <see cref="Run"/> decodes, follows the nested encodings a KDC would open next
/// (padata values, e-data, AD-IF-RELEVANT) and returns the re-encoding of the outer value.
/// </summary>
internal sealed record FuzzTarget(string Name, Func<ReadOnlyMemory<byte>, byte[]> Run)
{
    public override string ToString() => Name;
}

internal static class FuzzTargets
{
    public static readonly string GoldenRoot = Path.Combine(AppContext.BaseDirectory, "Golden", "mit");

    public static FuzzTarget AsReqTarget { get; } = new("AS-REQ", b =>
    {
        var m = AsReq.Decode(b);
        OpenPaData(m.PaData);
        return m.Encode();
    });

    public static FuzzTarget TgsReqTarget { get; } = new("TGS-REQ", b =>
    {
        var m = TgsReq.Decode(b);
        OpenPaData(m.PaData);
        return m.Encode();
    });

    public static FuzzTarget AsRepTarget { get; } = new("AS-REP", b =>
    {
        var m = AsRep.Decode(b);
        OpenPaData(m.PaData);
        return m.Encode();
    });

    public static FuzzTarget TgsRepTarget { get; } = new("TGS-REP", b =>
    {
        var m = TgsRep.Decode(b);
        OpenPaData(m.PaData);
        return m.Encode();
    });

    public static FuzzTarget KrbErrorTarget { get; } = new("KRB-ERROR", b =>
    {
        var m = KrbError.Decode(b);
        if (m.Data is { } data)
        {
            Open(() => OpenPaData(PaData.DecodeMethodData(data)));
            Open(() => TypedData.DecodeList(data));
        }

        return m.Encode();
    });

    public static FuzzTarget EncKdcRepPartTarget { get; } = new("EncKDCRepPart", b =>
    {
        var m = EncKdcRepPart.Decode(b);
        OpenPaData(m.EncryptedPaData);
        return m.Encode();
    });

    public static FuzzTarget EncTicketPartTarget { get; } = new("EncTicketPart", b =>
    {
        var m = EncTicketPart.Decode(b);
        Open(() => AuthorizationData.FindPac(m.AuthorizationData));
        return m.Encode();
    });

    public static FuzzTarget AuthenticatorTarget { get; } = new("Authenticator", b =>
    {
        var m = Authenticator.Decode(b);
        Open(() => AuthorizationData.FindPac(m.AuthorizationData));
        return m.Encode();
    });

    public static FuzzTarget KdcProxyTarget { get; } = new("KDC-PROXY-MESSAGE", b =>
    {
        var m = KdcProxyMessage.Decode(b);
        Open(() =>
        {
            var inner = m.Unwrap(out _);
            KerberosMessage.PeekType(inner);
            AsReqTarget.Run(inner);
        });
        return m.Encode();
    });

    public static readonly IReadOnlyList<FuzzTarget> All =
    [
        AsReqTarget, TgsReqTarget, AsRepTarget, TgsRepTarget, KrbErrorTarget, EncKdcRepPartTarget, EncTicketPartTarget, AuthenticatorTarget,
        new("AP-REQ", b => ApReq.Decode(b).Encode()),
        new("AP-REP", b => ApRep.Decode(b).Encode()),
        new("EncAPRepPart", b => EncApRepPart.Decode(b).Encode()),
        new("KRB-CRED", b => KrbCred.Decode(b).Encode()),
        new("EncKrbCredPart", b => EncKrbCredPart.Decode(b).Encode()),
        new("Ticket", b => Ticket.Decode(b).Encode()),
        new("PA-ENC-TS-ENC", b => PaEncTsEnc.Decode(b).Encode()),
        new("PA-PAC-REQUEST", b => PaPacRequest.Decode(b).Encode()),
        new("PA-PAC-OPTIONS", b => PaPacOptions.Decode(b).Encode()),
        new("KERB-KEY-LIST-REQ", b => KerbKeyListReq.Decode(b).Encode()),
        new("KERB-KEY-LIST-REP", b => KerbKeyListRep.Decode(b).Encode()),
        new("METHOD-DATA", b => PaData.EncodeMethodData(PaData.DecodeMethodData(b))),
        new("ETYPE-INFO2", b => EtypeInfo2Entry.EncodeList(EtypeInfo2Entry.DecodeList(b))),
        new("TYPED-DATA", b => TypedData.EncodeList(TypedData.DecodeList(b))),
        new("AuthorizationData", b =>
        {
            var list = AuthorizationData.DecodeList(b);
            Open(() => AuthorizationData.FindPac(list));
            return AuthorizationData.EncodeList(list);
        }),
        new("PrincipalName", b => KerberosAsn1.Encode(KerberosAsn1.Decode(b, PrincipalName.Read))),
        new("EncryptedData", b => KerberosAsn1.Encode(KerberosAsn1.Decode(b, EncryptedData.Read))),
        new("KDC-REQ-BODY", b => KerberosAsn1.Encode(KerberosAsn1.Decode(b, KdcReqBody.Read))),
        new("KrbCredInfo", b => KerberosAsn1.Encode(KerberosAsn1.Decode(b, KrbCredInfo.Read))),
        KdcProxyTarget,
        new("PeekType", b =>
        {
            KerberosMessage.PeekType(b);
            return [];
        }),
    ];

    public static FuzzTarget ByName(string name) => All.Single(t => t.Name == name);

    /// <summary>Seeds: every golden MIT file, then messages built in code with every optional field present.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes, FuzzTarget Target)> Seeds()
    {
        var seeds = new List<(string, byte[], FuzzTarget)>();
        foreach (var directory in Directory.GetDirectories(GoldenRoot).Order(StringComparer.Ordinal))
        {
            foreach (var (file, target) in new[]
            {
                ("as-req-no-preauth", AsReqTarget), ("as-req", AsReqTarget), ("krb-error-preauth-required", KrbErrorTarget),
                ("as-rep", AsRepTarget), ("tgs-req", TgsReqTarget), ("tgs-rep", TgsRepTarget),
            })
            {
                seeds.Add(($"mit/{Path.GetFileName(directory)}/{file}", File.ReadAllBytes(Path.Combine(directory, file + ".der")), target));
            }
        }

        var golden = File.ReadAllBytes(Path.Combine(GoldenRoot, "aes256-cts-hmac-sha1-96", "as-req.der"));
        seeds.AddRange(
        [
            ("built/as-req", FullAsReq.Encode(), AsReqTarget),
            ("built/tgs-req", FullTgsReq.Encode(), TgsReqTarget),
            ("built/as-rep", FullAsRep.Encode(), AsRepTarget),
            ("built/tgs-rep", FullTgsRep.Encode(), TgsRepTarget),
            ("built/krb-error", FullKrbError.Encode(), KrbErrorTarget),
            ("built/enc-as-rep-part", FullEncKdcRepPart().Encode(), EncKdcRepPartTarget),
            ("built/enc-tgs-rep-part", FullEncKdcRepPart(ApplicationTag.EncTgsRepPart).Encode(), EncKdcRepPartTarget),
            ("built/enc-ticket-part", FullEncTicketPart.Encode(), EncTicketPartTarget),
            ("built/authenticator", FullAuthenticator.Encode(), AuthenticatorTarget),
            ("built/ap-req", FullApReq.Encode(), ByName("AP-REQ")),
            ("built/ap-rep", SampleApRep.Encode(), ByName("AP-REP")),
            ("built/enc-ap-rep-part", FullEncApRepPart.Encode(), ByName("EncAPRepPart")),
            ("built/krb-cred", SampleKrbCred.Encode(), ByName("KRB-CRED")),
            ("built/enc-krb-cred-part", FullEncKrbCredPart.Encode(), ByName("EncKrbCredPart")),
            ("built/pa-enc-ts-enc", FullPaEncTsEnc.Encode(), ByName("PA-ENC-TS-ENC")),
            ("built/pa-pac-request", new PaPacRequest { IncludePac = true }.Encode(), ByName("PA-PAC-REQUEST")),
            ("built/pa-pac-options", new PaPacOptions { Flags = PaPacOptions.Options.Claims }.Encode(), ByName("PA-PAC-OPTIONS")),
            ("built/key-list-req", new KerbKeyListReq { EncryptionTypes = [KerberosCloudKdc.Protocol.Crypto.EncryptionType.Aes256CtsHmacSha196, KerberosCloudKdc.Protocol.Crypto.EncryptionType.Rc4Hmac] }.Encode(), ByName("KERB-KEY-LIST-REQ")),
            ("built/key-list-rep", new KerbKeyListRep { Keys = [Key(1), Key(2)] }.Encode(), ByName("KERB-KEY-LIST-REP")),
            ("built/etype-info2", EtypeInfo2Entry.EncodeList(FullEtypeInfo), ByName("ETYPE-INFO2")),
            ("built/typed-data", TypedData.EncodeList(TypedDataList), ByName("TYPED-DATA")),
            ("built/authorization-data", AuthorizationData.EncodeList(AuthData), ByName("AuthorizationData")),
            ("built/kkdcp-prefixed", new KdcProxyMessage { KerbMessage = TcpFraming.Frame(golden), TargetDomain = Realm, DcLocatorHint = 1 }.Encode(), KdcProxyTarget),
            ("built/kkdcp-bare", KdcProxyMessage.Wrap(golden, KdcProxyFraming.Bare).Encode(), KdcProxyTarget),
        ]);
        return seeds;
    }

    /// <summary>Opens nested padata the way a KDC handler would; those failures are the handler's, not the outer decode's.</summary>
    private static void OpenPaData(IReadOnlyList<PaData>? padata)
    {
        foreach (var pa in padata ?? [])
        {
            switch (pa.Type)
            {
                case PaDataType.PacRequest:
                    Open(() => PaPacRequest.Decode(pa.Value));
                    break;
                case PaDataType.PacOptions:
                    Open(() => PaPacOptions.Decode(pa.Value));
                    break;
                case PaDataType.EtypeInfo2:
                    Open(() => EtypeInfo2Entry.DecodeList(pa.Value));
                    break;
                case PaDataType.EncTimestamp:
                    Open(() => KerberosAsn1.Decode(pa.Value, EncryptedData.Read));
                    break;
                case PaDataType.SupportedEtypes:
                    Open(() => PaSupportedEncryptionTypes.Decode(pa.Value.Span));
                    break;
                case PaDataType.KerbKeyListReq:
                    Open(() => KerbKeyListReq.Decode(pa.Value));
                    break;
                case PaDataType.TgsReq:
                    Open(() =>
                    {
                        var apReq = ApReq.Decode(pa.Value);
                        apReq.Encode();
                    });
                    break;
            }
        }
    }

    private static void Open<T>(Func<T> decode)
    {
        try
        {
            decode();
        }
        catch (KerberosProtocolException)
        {
            // Refused cleanly: the contract.
        }
    }

    private static void Open(Action decode) => Open(() =>
    {
        decode();
        return 0;
    });
}
