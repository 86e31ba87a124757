using System.Text.Json;
using System.Text.Json.Nodes;

namespace KerberosCloudKdc.Server.Login;

/// <summary>
/// The client half of the token path (docs/token-path.md): srv_challenge, the device-signed PRT request with tgt=true,
/// the session key unwrapped with the transport key, then each TGT's client key and AS-REP opened. The lab password
/// grant skips the device and receives the client key in the clear. A refresh renews a stored PRT with a
/// session-key-signed request instead of a password, and opens the JWE its answer comes in.
/// </summary>
internal sealed class LoginFlow(TokenEndpointClient client, TimeProvider time)
{
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public async Task<LoginOutcome> RunAsync(LoginRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonObject response;
        byte[]? sessionKey = null;
        if (request.Device is { } device)
        {
            var nonce = await client.ChallengeAsync(request.Tenant, cancellationToken).ConfigureAwait(false);
            var jwt = PrtRequestJwt.Create(device.Certificate, nonce, request.Username, request.Password, time.GetUtcNow());
            response = await client.PostAsync(
                request.Tenant,
                [new("grant_type", JwtBearerGrant), new("request", jwt), new("client_info", "1"), new("tgt", "true"), new("windows_api_version", "2.0")],
                cancellationToken).ConfigureAwait(false);
            var jwe = response["session_key_jwe"] is JsonValue v && v.TryGetValue<string>(out var text)
                ? text
                : throw new LoginException("the token response has no session_key_jwe");
            sessionKey = SessionKeyJwe.Unwrap(jwe, device.TransportKey);
        }
        else
        {
            response = await client.PostAsync(
                request.Tenant,
                [new("grant_type", "password"), new("client_id", PrtRequestJwt.WindowsBrokerClientId), new("username", request.Username),
                    new("password", request.Password), new("scope", "openid"), new("tgt", "true")],
                cancellationToken).ConfigureAwait(false);
        }

        return Finish(response, sessionKey);
    }

    /// <summary>The HS256 renewal of <paramref name="prt"/> (docs/token-path.md §1.2.1); the session key stays the same.</summary>
    public async Task<LoginOutcome> RefreshAsync(string tenant, StoredPrt prt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prt);
        var nonce = await client.ChallengeAsync(tenant, cancellationToken).ConfigureAwait(false);
        var jwt = SessionKeyRequestJwt.Create(prt, nonce, time.GetUtcNow());
        var jwe = await client.PostForTextAsync(
            tenant,
            [new("grant_type", JwtBearerGrant), new("request", jwt), new("client_info", "1"), new("tgt", "true"), new("windows_api_version", "2.0")],
            cancellationToken).ConfigureAwait(false);
        var plaintext = ClientKeyJwe.DecryptDerived(jwe.Trim(), prt.SessionKey, "the refresh answer");
        JsonObject? response;
        try
        {
            response = JsonNode.Parse(plaintext) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new LoginException("the refresh answer does not hold JSON", e);
        }

        return Finish(response ?? throw new LoginException("the refresh answer does not hold a JSON object"), prt.SessionKey);
    }

    private static LoginOutcome Finish(JsonObject response, byte[]? sessionKey)
    {
        var cloudNode = response["tgt_cloud"] ?? throw new LoginException("the token response has no tgt_cloud (did the server get tgt=true?)");
        var cloud = Open("tgt_cloud", cloudNode, sessionKey);
        if (cloud.Ticket is null)
        {
            throw new LoginException($"no cloud TGT: {cloud.Error}");
        }

        TgtResult? onPremises = null;
        if (response["tgt_ad"] is { } adNode)
        {
            // A partial TGT that cannot be opened must not cost the user the cloud TGT: it is reported instead.
            try
            {
                onPremises = Open("tgt_ad", adNode, sessionKey);
            }
            catch (LoginException e)
            {
                onPremises = new TgtResult("tgt_ad", null, null, e.Message);
            }
        }

        return new LoginOutcome(response, sessionKey, cloud, onPremises);
    }

    private static TgtResult Open(string name, JsonNode node, byte[]? sessionKey)
    {
        var envelope = TgtEnvelope.Parse(name, node);
        if (!envelope.HasTicket)
        {
            return new TgtResult(name, envelope, null, envelope.Error ?? "no ticket (keyType 0)");
        }

        var clientKey = sessionKey is null
            ? JweParts.DecodeStandard(envelope.ClientKey, name + " clientKey")
            : ClientKeyJwe.Decrypt(envelope.ClientKey, sessionKey, name);
        return new TgtResult(name, envelope, TgtOpener.Open(envelope, clientKey), null);
    }
}
