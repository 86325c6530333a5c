using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Plant.Hosting.Http;

/// <summary>
/// Whether a request's caller is admitted at a level: by a key (the master key for Admin, any key for Function), or
/// by a bearer token from the trusted issuer (<see cref="BearerTokens"/>) whose principal is on that level's list.
/// A refusal is written as a problem: 401 for no credential or a bad one (saying which check a token failed), 403 for
/// a verified principal not admitted at the level, 503 when the issuer's keys cannot be fetched.
/// </summary>
internal static class Callers
{
    /// <summary>How a key caller is named in records: <c>key:master</c>, <c>key:function-1</c>.</summary>
    public const string KeyPrefix = "key:";

    private static readonly object s_nameKey = new();
    private static readonly object s_tokenKey = new();

    /// <summary>The admitted caller's name: <c>key:master</c>, <c>key:function-N</c>, or a token's email; null when none was verified.</summary>
    public static string? Name(HttpContext http) => http.Items.TryGetValue(s_nameKey, out var name) ? (string?)name : null;

    /// <param name="http">The request.</param>
    /// <param name="level">The level the route needs.</param>
    /// <param name="noCredential">What a 401 without any credential says.</param>
    /// <returns>True when admitted; false when the refusal has been written.</returns>
    public static async Task<bool> AdmitAsync(HttpContext http, AuthorizationLevel level, string noCredential)
    {
        if (level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        if (KeyIdentity.Get(http) is { } key && FunctionKeys.Allows(level, key))
        {
            http.Items[s_nameKey] = KeyPrefix + key;
            return true;
        }

        var check = await CheckTokenAsync(http);
        if (check is not TokenCheck.Verified(var identity, var principal))
        {
            await RefuseAsync(http, check, noCredential);
            return false;
        }

        var granted = http.RequestServices.GetRequiredService<BearerTokens>().LevelOf(principal);
        if (granted is null || level == AuthorizationLevel.Admin && granted != AuthorizationLevel.Admin)
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, $"{principal} is not admitted {(level == AuthorizationLevel.Admin ? "at the admin level" : "to this service")}.", token: false);
            return false;
        }

        http.User = new ClaimsPrincipal(identity);
        http.Items[s_nameKey] = principal;
        return true;
    }

    /// <summary>
    /// The verified principal of the request's bearer token, or null. The rate limiter partitions by it, after
    /// <see cref="CheckTokenAsync"/> has run for the request.
    /// </summary>
    public static string? VerifiedPrincipal(HttpContext http) =>
        http.Items.TryGetValue(s_tokenKey, out var check) && check is TokenCheck.Verified verified ? verified.Principal : null;

    /// <summary>Checks the request's bearer token once per request (the rate limiter and the route both ask).</summary>
    public static async ValueTask<TokenCheck> CheckTokenAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(s_tokenKey, out var cached))
        {
            return (TokenCheck)cached!;
        }

        var check = await CheckAsync(http);
        http.Items[s_tokenKey] = check;
        return check;

        static async Task<TokenCheck> CheckAsync(HttpContext http)
        {
            var tokens = http.RequestServices.GetService<BearerTokens>();
            if (tokens is null || BearerTokens.Presented(http.Request, tokens.BehindCloudRun) is not { } token)
            {
                return TokenCheck.Absent.Instance;
            }

            if (token.Length > BearerTokens.MaxTokenLength)
            {
                return new TokenCheck.Refused("it is longer than 8 KB");
            }

            TokenValidationResult result;
            try
            {
                result = await tokens.ValidateAsync(token, http.RequestAborted);
            }
            catch (Exception e) when (BearerTokens.IsIssuerUnreachable(e))
            {
                return TokenCheck.IssuerUnreachable.Instance;
            }

            if (!result.IsValid)
            {
                return new TokenCheck.Refused(BearerTokens.Describe(result.Exception));
            }

            var identity = result.ClaimsIdentity;
            return identity.FindFirst("email")?.Value is { } principal && identity.FindFirst("email_verified")?.Value == "true"
                ? new TokenCheck.Verified(identity, principal)
                : new TokenCheck.Refused("it carries no verified email");
        }
    }

    private static Task RefuseAsync(HttpContext http, TokenCheck check, string noCredential)
    {
        switch (check)
        {
            case TokenCheck.IssuerUnreachable:
                http.Response.Headers.RetryAfter = "5";
                return Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Unavailable",
                    "The token issuer's keys cannot be fetched now; retry later.");
            case TokenCheck.Refused refused:
                return RefuseAsync(http, StatusCodes.Status401Unauthorized, $"The bearer token was refused: {refused.Reason}.", token: true);
            default:
                return RefuseAsync(http, StatusCodes.Status401Unauthorized, noCredential, token: false);
        }
    }

    private static Task RefuseAsync(HttpContext http, int status, string detail, bool token)
    {
        if (token)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        }

        var (slug, title, _) = Problems.ForStatus(status, http.Request);
        return Problems.WriteAsync(http, status, slug, title, detail);
    }
}

/// <summary>What a request's bearer token turned out to be.</summary>
internal abstract record TokenCheck
{
    private TokenCheck()
    {
    }

    /// <summary>No token, or bearer tokens are off.</summary>
    public sealed record Absent : TokenCheck
    {
        public static readonly Absent Instance = new();
    }

    /// <summary>The issuer's keys could not be fetched: the token could be neither trusted nor refused.</summary>
    public sealed record IssuerUnreachable : TokenCheck
    {
        public static readonly IssuerUnreachable Instance = new();
    }

    /// <summary>A check failed; <paramref name="Reason"/> says which, in words a client may read.</summary>
    public sealed record Refused(string Reason) : TokenCheck;

    public sealed record Verified(ClaimsIdentity Identity, string Principal) : TokenCheck;
}
