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

        var tokens = http.RequestServices.GetService<BearerTokens>();
        if (tokens is null || BearerTokens.Presented(http.Request, tokens.BehindCloudRun) is not { } token)
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, noCredential, token: false);
            return false;
        }

        if (token.Length > BearerTokens.MaxTokenLength)
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "The bearer token was refused: it is longer than 8 KB.", token: true);
            return false;
        }

        TokenValidationResult result;
        try
        {
            result = await tokens.ValidateAsync(token, http.RequestAborted);
        }
        catch (Exception e) when (BearerTokens.IsIssuerUnreachable(e))
        {
            http.Response.Headers.RetryAfter = "5";
            await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Unavailable",
                "The token issuer's keys cannot be fetched now; retry later.");
            return false;
        }

        if (!result.IsValid)
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, $"The bearer token was refused: {BearerTokens.Describe(result.Exception)}.", token: true);
            return false;
        }

        var identity = result.ClaimsIdentity;
        var principal = identity.FindFirst("email")?.Value;
        if (principal is null || identity.FindFirst("email_verified")?.Value != "true")
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "The bearer token was refused: it carries no verified email.", token: true);
            return false;
        }

        var granted = tokens.LevelOf(principal);
        if (granted is null || level == AuthorizationLevel.Admin && granted != AuthorizationLevel.Admin)
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, $"{principal} is not admitted {(level == AuthorizationLevel.Admin ? "at the admin level" : "to this service")}.", token: false);
            return false;
        }

        http.User = new ClaimsPrincipal(identity);
        http.Items[s_nameKey] = principal;
        return true;
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
