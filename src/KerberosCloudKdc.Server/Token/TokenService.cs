using System.Security.Cryptography;
using System.Text;
using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Kdc.Engine;
using KerberosCloudKdc.Protocol.Crypto;
using KerberosCloudKdc.Server.Hosting;

namespace KerberosCloudKdc.Server.Token;

/// <summary>
/// The token endpoint's logic, free of HTTP (docs/token-path.md §1): srv_challenge, the device-signed PRT
/// request (password and refresh_token inner grants) and the lab password grant. Checks run in the order the
/// contract gives, and every refusal is an <see cref="EntraError"/>; nothing is issued before all passed.
/// </summary>
internal sealed class TokenService(
    IDirectoryAdminStore store,
    TokenTickets tickets,
    NonceService nonces,
    PrimaryRefreshTokenProtector prtProtector,
    IdTokenBuilder idTokens,
    TimeProvider clock,
    IKerberosRandom random)
{
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string SrvChallenge = "srv_challenge";
    public const string PasswordGrant = "password";
    public const string RefreshTokenGrant = "refresh_token";

    /// <summary>The Windows login broker; the default audience when a client names none.</summary>
    public const string WindowsBrokerClientId = "38aa3b87-a06d-4817-b275-7a316988d93b";

    public async Task<TokenOutcome> HandleAsync(IReadOnlyDictionary<string, string> form, string tenantSegment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(tenantSegment);
        var grant = Field(form, "grant_type");
        return grant switch
        {
            null => TokenOutcome.Refused(EntraError.MissingParameter("grant_type"), await PathTenantIdAsync(tenantSegment, cancellationToken).ConfigureAwait(false), null, "token"),
            SrvChallenge => await ChallengeAsync(tenantSegment, cancellationToken).ConfigureAwait(false),
            JwtBearer => await PrtAsync(form, tenantSegment, cancellationToken).ConfigureAwait(false),
            PasswordGrant => await PasswordAsync(form, tenantSegment, cancellationToken).ConfigureAwait(false),
            _ => TokenOutcome.Refused(EntraError.UnsupportedGrantType(), await PathTenantIdAsync(tenantSegment, cancellationToken).ConfigureAwait(false), null, Shorten(grant)),
        };
    }

    private async Task<TokenOutcome> ChallengeAsync(string tenantSegment, CancellationToken cancellationToken)
    {
        if (!TenantResolver.IsMultiTenant(tenantSegment) && await FindTenantAsync(tenantSegment, cancellationToken).ConfigureAwait(false) is null)
        {
            return TokenOutcome.Refused(EntraError.TenantNotFound(Shorten(tenantSegment)), null, null, SrvChallenge) with { IsSignIn = false };
        }

        var body = Encoding.UTF8.GetBytes($$"""{"Nonce":"{{nonces.Issue()}}"}""");
        return new TokenOutcome { Status = 200, Body = body, Service = SrvChallenge, IsSignIn = false };
    }

    private async Task<TokenOutcome> PrtAsync(IReadOnlyDictionary<string, string> form, string tenantSegment, CancellationToken cancellationToken)
    {
        const string Service = "prt";
        var multiTenant = TenantResolver.IsMultiTenant(tenantSegment);
        Tenant? tenant = null;
        if (!multiTenant && (tenant = await FindTenantAsync(tenantSegment, cancellationToken).ConfigureAwait(false)) is null)
        {
            return TokenOutcome.Refused(EntraError.TenantNotFound(Shorten(tenantSegment)), null, null, Service);
        }

        // 1. The JWT, its certificate and signature (or, for HS256, the presented PRT and its session key).
        var (request, invalid) = PrtRequestValidator.Validate(Field(form, "request"), prtProtector);
        if (request is null)
        {
            return TokenOutcome.Refused(invalid!, tenant?.Id, null, Service);
        }

        var client = request.Username;
        PrimaryRefreshToken? presented = null;
        switch (request.GrantType)
        {
            case PasswordGrant when request.Username is null || request.Password is null:
                return TokenOutcome.Refused(EntraError.MissingParameter(request.Username is null ? "username" : "password"), tenant?.Id, client, Service);
            case PasswordGrant:
                break;
            case RefreshTokenGrant when request.RefreshToken is null:
                return TokenOutcome.Refused(EntraError.MissingParameter("refresh_token"), tenant?.Id, client, Service);
            case RefreshTokenGrant:
                presented = request.Presented ?? prtProtector.Unseal(request.RefreshToken);
                if (presented is null)
                {
                    return TokenOutcome.Refused(EntraError.InvalidGrant("the refresh token is not valid"), tenant?.Id, client, Service);
                }

                break;
            case null:
                return TokenOutcome.Refused(EntraError.MissingParameter("grant_type"), tenant?.Id, client, Service);
            default:
                return TokenOutcome.Refused(EntraError.UnsupportedGrantType(), tenant?.Id, client, Service);
        }

        // common / organizations: the tenant comes from the username's domain, or from the PRT.
        if (tenant is null)
        {
            tenant = presented is not null
                ? await store.FindTenantAsync(presented.TenantId.ToString("D"), cancellationToken).ConfigureAwait(false)
                : await TenantOfUsernameAsync(request.Username!, cancellationToken).ConfigureAwait(false);
            if (tenant is null)
            {
                return TokenOutcome.Refused(EntraError.TenantNotFound(tenantSegment), null, client, Service);
            }
        }

        // A PRT only renews in the tenant that issued it; checked before the device so the answer names the real cause.
        if (presented is not null && presented.TenantId != tenant.Id)
        {
            return TokenOutcome.Refused(EntraError.InvalidGrant("the refresh token was issued in another tenant"), tenant.Id, client, Service);
        }

        // 2. The device: registered in this tenant, same certificate byte for byte, enabled.
        var device = await store.FindDeviceAsync(tenant.Id, request.DeviceId, cancellationToken).ConfigureAwait(false);
        if (device is null)
        {
            return TokenOutcome.Refused(EntraError.DeviceNotFound(), tenant.Id, client, Service);
        }

        // An HS256 request carries no certificate: holding the session key, which only ever went to this device's
        // transport key, is its proof of possession. The device must still be registered and enabled.
        if (request.Certificate is not null && !CryptographicOperations.FixedTimeEquals(device.Certificate, request.Certificate))
        {
            return TokenOutcome.Refused(EntraError.DeviceAuthenticationFailed("the certificate is not the one registered for this device"), tenant.Id, client, Service);
        }

        if (!device.AccountEnabled)
        {
            return TokenOutcome.Refused(EntraError.DeviceDisabled(), tenant.Id, client, Service);
        }

        // 3. The nonce: ours, fresh, first use.
        if (request.Nonce is null)
        {
            return TokenOutcome.Refused(EntraError.MissingParameter("request_nonce"), tenant.Id, client, Service);
        }

        var nonce = nonces.Consume(request.Nonce);
        if (nonce != NonceCheck.Valid)
        {
            var why = nonce switch
            {
                NonceCheck.Expired => "the request_nonce has expired",
                NonceCheck.Replayed => "the request_nonce was already used",
                _ => "the request_nonce is not valid",
            };
            return TokenOutcome.Refused(EntraError.InvalidRequest(why), tenant.Id, client, Service);
        }

        // 4. The credentials.
        DirectoryUser user;
        byte[] sessionKey;
        var now = clock.GetUtcNow();
        if (presented is null)
        {
            var (found, refused) = await CheckPasswordAsync(tenant, request.Username!, request.Password!, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return TokenOutcome.Refused(refused!, tenant.Id, client, Service);
            }

            user = found;
            sessionKey = new byte[32];
            random.Fill(sessionKey);
        }
        else
        {
            if (presented.TenantId != tenant.Id || presented.DeviceId != device.DeviceId)
            {
                return TokenOutcome.Refused(EntraError.InvalidGrant("the refresh token was issued to another device"), tenant.Id, client, Service);
            }

            if (now >= presented.ExpiresAt)
            {
                return TokenOutcome.Refused(EntraError.RefreshTokenExpired(), tenant.Id, client, Service);
            }

            var found = await store.GetUserAsync(tenant.Id, presented.UserId, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return TokenOutcome.Refused(EntraError.UserNotFound(), tenant.Id, client, Service);
            }

            client = found.UserPrincipalName;
            if (!found.AccountEnabled)
            {
                return TokenOutcome.Refused(EntraError.UserDisabled(), tenant.Id, client, Service);
            }

            user = found;
            sessionKey = presented.SessionKey;
        }

        // Issue: a PRT (same session key on refresh), the session key JWE, id_token, and the TGTs when asked.
        var prt = prtProtector.Seal(new PrimaryRefreshToken
        {
            TenantId = tenant.Id,
            UserId = user.ObjectId,
            DeviceId = device.DeviceId,
            SessionKey = sessionKey,
            IssuedAt = now,
            ExpiresAt = now + PrimaryRefreshToken.Lifetime,
        });
        var set = IsTrue(Field(form, "tgt"))
            ? await tickets.IssueAsync(tenant, user, k => CompactJwe.ClientKey(sessionKey, k.Value, random), cancellationToken).ConfigureAwait(false)
            : null;
        var response = new TokenResponse
        {
            Now = now,
            ExpiresIn = PrimaryRefreshToken.Lifetime,
            RefreshToken = prt,
            // A session-key-signed client already holds the key; its whole answer is sealed under it instead.
            SessionKeyJwe = request.SessionKeySigned ? null : CompactJwe.SessionKey(sessionKey, device.TransportKey, random),
            IdToken = idTokens.Create(tenant, user, request.ClientId ?? WindowsBrokerClientId, device.DeviceId),
            UserId = user.ObjectId,
            TenantId = tenant.Id,
            Tickets = set,
            KerberosTopLevelNames = tenant.Policy.KerberosTopLevelNames,
        };
        var json = response.ToJson();
        return new TokenOutcome
        {
            Status = 200,
            Body = request.SessionKeySigned ? Encoding.ASCII.GetBytes(CompactJwe.Response(sessionKey, json, random)) : json,
            ContentType = request.SessionKeySigned ? TokenOutcome.JoseContentType : TokenOutcome.JsonContentType,
            TenantId = tenant.Id,
            Client = user.UserPrincipalName,
            Service = set?.Service ?? "prt:" + request.GrantType,
        };
    }

    /// <summary>The lab grant (§1.4): username and password, no device, clientKey in plain base64. Off unless the tenant enables it.</summary>
    private async Task<TokenOutcome> PasswordAsync(IReadOnlyDictionary<string, string> form, string tenantSegment, CancellationToken cancellationToken)
    {
        var username = Field(form, "username");
        var password = Field(form, "password");
        Tenant? tenant = TenantResolver.IsMultiTenant(tenantSegment)
            ? (username is null ? null : await TenantOfUsernameAsync(username, cancellationToken).ConfigureAwait(false))
            : await FindTenantAsync(tenantSegment, cancellationToken).ConfigureAwait(false);
        if (tenant is null && (username is not null || !TenantResolver.IsMultiTenant(tenantSegment)))
        {
            return TokenOutcome.Refused(EntraError.TenantNotFound(Shorten(tenantSegment)), null, username, PasswordGrant);
        }

        // Refused as unsupported before anything else, so a tenant without the lab grant reveals nothing about users.
        if (tenant is not null && !tenant.Policy.PasswordGrantEnabled)
        {
            return TokenOutcome.Refused(EntraError.UnsupportedGrantType(), tenant.Id, username, PasswordGrant);
        }

        if (username is null || password is null)
        {
            return TokenOutcome.Refused(EntraError.MissingParameter(username is null ? "username" : "password"), tenant?.Id, username, PasswordGrant);
        }

        if (Field(form, "client_id") is { } clientId && !Guid.TryParse(clientId, out _))
        {
            return TokenOutcome.Refused(EntraError.UnknownClient(), tenant?.Id, username, PasswordGrant);
        }

        var (user, refused) = await CheckPasswordAsync(tenant!, username, password, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return TokenOutcome.Refused(refused!, tenant!.Id, username, PasswordGrant);
        }

        var set = IsTrue(Field(form, "tgt"))
            ? await tickets.IssueAsync(tenant!, user, k => Convert.ToBase64String(k.Value), cancellationToken).ConfigureAwait(false)
            : null;
        var response = new TokenResponse
        {
            Now = clock.GetUtcNow(),
            ExpiresIn = IdTokenBuilder.Lifetime,
            IdToken = idTokens.Create(tenant!, user, Field(form, "client_id") ?? WindowsBrokerClientId, deviceId: null),
            UserId = user.ObjectId,
            TenantId = tenant!.Id,
            Tickets = set,
            KerberosTopLevelNames = tenant.Policy.KerberosTopLevelNames,
        };
        return new TokenOutcome
        {
            Status = 200,
            Body = response.ToJson(),
            TenantId = tenant.Id,
            Client = user.UserPrincipalName,
            Service = set?.Service ?? PasswordGrant,
        };
    }

    private async Task<(DirectoryUser? User, EntraError? Error)> CheckPasswordAsync(Tenant tenant, string username, string password, CancellationToken cancellationToken)
    {
        var user = await store.FindUserAsync(tenant.Id, username, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return (null, EntraError.UserNotFound());
        }

        if (!user.AccountEnabled)
        {
            return (null, EntraError.UserDisabled());
        }

        return PasswordVerifier.Matches(user, password, tenant.Policy) ? (user, null) : (null, EntraError.InvalidCredentials());
    }

    private async Task<Tenant?> FindTenantAsync(string segment, CancellationToken cancellationToken) =>
        segment.Length is 0 or > 256 ? null : await store.FindTenantAsync(segment, cancellationToken).ConfigureAwait(false);

    private async Task<Guid?> PathTenantIdAsync(string segment, CancellationToken cancellationToken) =>
        TenantResolver.IsMultiTenant(segment) ? null : (await FindTenantAsync(segment, cancellationToken).ConfigureAwait(false))?.Id;

    private async Task<Tenant?> TenantOfUsernameAsync(string username, CancellationToken cancellationToken)
    {
        var at = username.LastIndexOf('@');
        return at > 0 && at < username.Length - 1 ? await FindTenantAsync(username[(at + 1)..], cancellationToken).ConfigureAwait(false) : null;
    }

    private static string? Field(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>tgt=true as AADInternals sends it, tgt=True as ROADtools' Python does.</summary>
    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
