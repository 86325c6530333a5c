using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Plant.Hosting.Http;

/// <summary>
/// Bearer tokens from one trusted issuer, Google by default (what Cloud Scheduler, Cloud Run services and CI through
/// Workload Identity Federation send). Its discovery document gives its keys, which are cached for 12 hours and
/// fetched again, while the request waits, when a token names a key id they lack: the first time at once, then at
/// most every five minutes, so a stream of made-up key ids costs no fetch per request. A token is checked for its
/// signature, issuer, audience, expiry (a minute of clock skew) and a verified <c>email</c>, its principal; the
/// principal's level comes from two allow-lists. Off unless audiences are set.
/// </summary>
/// <remarks>
/// Behind Cloud Run's IAM check (<c>PLANT_TOKEN_VERIFIED_BY=cloud-run</c>) Cloud Run has verified the token and hands it
/// on with its signature removed (in <c>X-Serverless-Authorization</c> when the caller used that header, which it
/// prefers, otherwise in <c>Authorization</c>): the host then checks its claims (issuer, audience, lifetime, verified
/// email, level) and not its signature, which it cannot, and fetches no keys.
/// </remarks>
internal sealed class BearerTokens
{
    public const string IssuerSetting = "PLANT_TOKEN_ISSUER";
    public const string DiscoverySetting = "PLANT_TOKEN_DISCOVERY_URL";
    public const string AudiencesSetting = "PLANT_TOKEN_AUDIENCES";
    public const string FunctionCallersSetting = "PLANT_TOKEN_FUNCTION_CALLERS";
    public const string AdminCallersSetting = "PLANT_TOKEN_ADMIN_CALLERS";
    public const string VerifiedBySetting = "PLANT_TOKEN_VERIFIED_BY";
    public const string ServerlessHeader = "X-Serverless-Authorization";
    public const string GoogleIssuer = "https://accounts.google.com";

    /// <summary>Google's ID tokens are about 1 KB; anything far longer is refused before it is parsed.</summary>
    public const int MaxTokenLength = 8 * 1024;

    private static readonly TimeSpan s_keysLifetime = TimeSpan.FromHours(12);
    private static readonly TimeSpan s_refreshInterval = TimeSpan.FromMinutes(5);
    private readonly string _discovery;
    private readonly HashSet<string> _admins;
    private readonly HashSet<string> _callers;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly HttpDocumentRetriever _retriever;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private OpenIdConnectConfiguration? _keys;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset? _lastRefresh;

    private BearerTokens(string issuer, string discovery, IReadOnlyList<string> audiences, HashSet<string> admins, HashSet<string> callers, bool behindCloudRun)
    {
        (_discovery, _admins, _callers, BehindCloudRun) = (discovery, admins, callers, behindCloudRun);
        _retriever = new HttpDocumentRetriever { RequireHttps = discovery.StartsWith("https:", StringComparison.Ordinal) };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudiences = audiences,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        };
        if (behindCloudRun)
        {
            // Cloud Run checked the signature before the request reached the container; what is left of it is a marker.
            _parameters.RequireSignedTokens = false;
            _parameters.SignatureValidator = (token, _) => new JsonWebToken(token);
        }
    }

    /// <summary>True when Cloud Run's IAM check verifies the tokens' signatures (<c>PLANT_TOKEN_VERIFIED_BY=cloud-run</c>).</summary>
    public bool BehindCloudRun { get; }

    /// <summary>The token the request carries: behind Cloud Run, its <c>X-Serverless-Authorization</c> first.</summary>
    public static string? Presented(HttpRequest request, bool behindCloudRun)
    {
        string? header = behindCloudRun && request.Headers[ServerlessHeader].ToString() is { Length: > 0 } serverless ? serverless : request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>The issuer's settings; null when no audience is set (tokens are then not accepted).</summary>
    /// <exception cref="StartupException">The settings contradict each other, or a URL is not one.</exception>
    public static BearerTokens? Load(IConfiguration configuration)
    {
        var audiences = List(configuration[AudiencesSetting]);
        var admins = List(configuration[AdminCallersSetting]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var callers = List(configuration[FunctionCallersSetting]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (audiences.Count == 0)
        {
            return admins.Count + callers.Count == 0
                ? null
                : throw StartupException.Setting(AudiencesSetting, $"is not set, but {FunctionCallersSetting} or {AdminCallersSetting} is: set the audience the tokens must carry (the service's URL).");
        }

        if (admins.Count + callers.Count == 0)
        {
            throw StartupException.Setting(FunctionCallersSetting, $"and {AdminCallersSetting} are both empty: a token issuer admits no one without them.");
        }

        var issuer = configuration[IssuerSetting] is { Length: > 0 } text ? text.TrimEnd('/') : GoogleIssuer;
        var discovery = configuration[DiscoverySetting] is { Length: > 0 } url ? url : issuer + "/.well-known/openid-configuration";
        if (!Uri.TryCreate(discovery, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            throw StartupException.Setting(DiscoverySetting, $"'{discovery}' is not an https URL (http is allowed on loopback only, for a local issuer).");
        }

        var verifiedBy = configuration[VerifiedBySetting] is { Length: > 0 } by ? by.Trim().ToLowerInvariant() : "plant";
        return verifiedBy is "plant" or "cloud-run"
            ? new BearerTokens(issuer, discovery, audiences, admins, callers, verifiedBy == "cloud-run")
            : throw StartupException.Setting(VerifiedBySetting, $"is '{verifiedBy}': it must be 'plant' (the host checks each token's signature) or 'cloud-run' (the service requires IAM, and Cloud Run has checked it).");
    }

    /// <summary>
    /// Validates a token: signature (with the issuer's keys), issuer, audience, lifetime, algorithm. When the token names
    /// a key id the cached keys lack, they are fetched again (if allowed now) and the token validated once more.
    /// IdentityModel's own ConfigurationManager refreshes in the background, so it would refuse that first token.
    /// </summary>
    /// <exception cref="IOException">The issuer's documents cannot be fetched (see <see cref="IsIssuerUnreachable"/>).</exception>
    public async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken ct)
    {
        if (BehindCloudRun)
        {
            return await _handler.ValidateTokenAsync(token, _parameters);
        }

        var keys = await KeysAsync(refresh: false, ct);
        var result = await ValidateWithAsync(token, keys);
        return result.Exception is SecurityTokenSignatureKeyNotFoundException && await KeysAsync(refresh: true, ct) is var fresh && !ReferenceEquals(fresh, keys)
            ? await ValidateWithAsync(token, fresh)
            : result;
    }

    private Task<TokenValidationResult> ValidateWithAsync(string token, OpenIdConnectConfiguration keys)
    {
        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = keys.SigningKeys;
        return _handler.ValidateTokenAsync(token, parameters);
    }

    /// <summary>The cached keys; fetched when there are none or they are old, or on <paramref name="refresh"/> when allowed.</summary>
    private async Task<OpenIdConnectConfiguration> KeysAsync(bool refresh, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (_keys is { } cached && now - _fetchedAt < s_keysLifetime && (!refresh || _lastRefresh is { } last && now - last < s_refreshInterval))
        {
            return cached;
        }

        await _fetching.WaitAsync(ct);
        try
        {
            // Another request may have fetched them while this one waited.
            if (_keys is { } fetched && (refresh ? _lastRefresh >= now : now - _fetchedAt < s_keysLifetime))
            {
                return fetched;
            }

            _keys = await OpenIdConnectConfigurationRetriever.GetAsync(_discovery, _retriever, ct);
            _fetchedAt = DateTimeOffset.UtcNow;
            if (refresh)
            {
                _lastRefresh = _fetchedAt;
            }

            return _keys;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>The level the token's principal is admitted at, or null when it is in neither list.</summary>
    public AuthorizationLevel? LevelOf(string principal) =>
        _admins.Contains(principal) ? AuthorizationLevel.Admin : _callers.Contains(principal) ? AuthorizationLevel.Function : null;

    /// <summary>Which check a refused token failed, in words a client may read: never the token, never the library's message.</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenNotYetValidException => "it is not valid yet",
        SecurityTokenInvalidAudienceException => "it is for another audience",
        SecurityTokenInvalidIssuerException => "it is from another issuer",
        SecurityTokenSignatureKeyNotFoundException => "it is signed with a key the issuer does not publish",
        SecurityTokenInvalidAlgorithmException => "it is signed with an algorithm that is not accepted",
        SecurityTokenInvalidSignatureException => "its signature does not verify",
        SecurityTokenNoExpirationException => "it has no expiry",
        SecurityTokenMalformedException or ArgumentException => "it is not a JSON Web Token",
        _ => "it does not verify",
    };

    /// <summary>True when the issuer's documents could not be fetched: the service's trouble, not the token's.</summary>
    public static bool IsIssuerUnreachable(Exception failure) =>
        failure is IOException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException }
        || failure.InnerException is { } inner && IsIssuerUnreachable(inner);

    private static List<string> List(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
