using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Protocol.Messages;
using KerberosCloudKdc.Protocol.Tests.Golden;

namespace KerberosCloudKdc.Protocol.Tests.Fast;

/// <summary>
/// The recorded MIT kvno TGS exchange opened up to its FAST layer: the TGT session key from the AS-REP,
/// the authenticator subkey from PA-TGS-REQ, and the PA-FX-FAST elements of both messages.
/// </summary>
internal sealed class MitFastTgs
{
    private MitFastTgs(MitGoldenExchange exchange)
    {
        Exchange = exchange;
        var asReply = AsRep.Decode(exchange.Read("as-rep"));
        TgtSessionKey = EncKdcRepPart.Decode(asReply.EncryptedPart.Decrypt(exchange.UserKey, KeyUsage.AsRepEncPart)).Key.ToKey();
        Request = TgsReq.Decode(exchange.Read("tgs-req"));
        Reply = TgsRep.Decode(exchange.Read("tgs-rep"));
        PaTgsReq = Request.FindPaData(PaDataType.TgsReq)!;
        Authenticator = Authenticator.Decode(ApReq.Decode(PaTgsReq.Value).Authenticator.Decrypt(TgtSessionKey, KeyUsage.PaTgsReqAuthenticator));
        Subkey = Authenticator.Subkey!.ToKey();
        FastRequestPaData = Request.FindPaData(PaDataType.FxFast)!;
        FastReplyPaData = Reply.PaData!.Single(p => p.Type == PaDataType.FxFast);
    }

    public MitGoldenExchange Exchange { get; }

    public KerberosKey TgtSessionKey { get; }

    public TgsReq Request { get; }

    public TgsRep Reply { get; }

    public PaData PaTgsReq { get; }

    public Authenticator Authenticator { get; }

    public KerberosKey Subkey { get; }

    public PaData FastRequestPaData { get; }

    public PaData FastReplyPaData { get; }

    public KerberosKey ArmorKey => FastArmor.TgsImplicitArmorKey(Subkey, TgtSessionKey);

    public static MitFastTgs Load(string scenario) => new(MitGoldenExchange.Load(scenario));
}
