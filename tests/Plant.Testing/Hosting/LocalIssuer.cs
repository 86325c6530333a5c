using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Plant.Testing.Hosting;

/// <summary>
/// A token issuer of the tests' own, on a loopback Kestrel: an OpenID discovery document and a JWKS with its current
/// RSA keys, and ID tokens shaped as Google's (<c>iss</c>, <c>aud</c>, <c>email</c>, <c>email_verified</c>) signed
/// with them. <see cref="Rotate"/> publishes a new key; <see cref="DocumentFetches"/> counts the fetches.
/// </summary>
public sealed class LocalIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RsaSecurityKey> _published = [];
    private int _fetches;

    private LocalIssuer(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The <c>iss</c> of its tokens: its own base address.</summary>
    public string Issuer { get; }

    public string DiscoveryUrl => Issuer + "/.well-known/openid-configuration";

    /// <summary>How many times a client read the discovery document or the JWKS.</summary>
    public int DocumentFetches => Volatile.Read(ref _fetches);

    /// <summary>The key new tokens are signed with.</summary>
    public RsaSecurityKey SigningKey => _published[^1];

    public static async Task<LocalIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer!._fetches);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Issuer,
                ["jwks_uri"] = issuer.Issuer + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }, TestJson.Options);
        });
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref issuer!._fetches);
            lock (issuer._published)
            {
                return Results.Json(new { keys = issuer._published.Select(Jwk).ToArray() }, TestJson.Options);
            }
        });
        await app.StartAsync();
        var address = app.Urls.First().TrimEnd('/');
        issuer = new LocalIssuer(app, address);
        issuer.AddKey();
        return issuer;
    }

    /// <summary>Publishes a new key and signs with it from now on (the old one stays published).</summary>
    public void Rotate()
    {
        lock (_published)
        {
            AddKey();
        }
    }

    /// <summary>A key the issuer never publishes, for tokens it should not accept.</summary>
    public static RsaSecurityKey UnpublishedKey() => new(RSA.Create(2048)) { KeyId = "unpublished-" + Guid.NewGuid().ToString("N")[..8] };

    /// <summary>A Google-shaped ID token; every part can be changed to make a bad one.</summary>
    public string Token(
        string email,
        string audience,
        TimeSpan? lifetime = null,
        DateTimeOffset? notBefore = null,
        bool emailVerified = true,
        string? issuer = null,
        SecurityKey? key = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTimeOffset.UtcNow;
        var start = notBefore ?? now.AddMinutes(-1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            NotBefore = start.UtcDateTime,
            IssuedAt = start.UtcDateTime,
            Expires = (lifetime is { } l ? now + l : now.AddHours(1)).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", "1" + Math.Abs(email.GetHashCode(StringComparison.Ordinal))), new Claim("email", email)]),
            Claims = new Dictionary<string, object> { ["email_verified"] = emailVerified },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with good claims.</summary>
    public string UnsignedToken(string email, string audience)
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"iss":"{{Issuer}}","aud":"{{audience}}","exp":{{exp}},"email":"{{email}}","email_verified":true}""")}.";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void AddKey() => _published.Add(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k" + (_published.Count + 1) });

    private static object Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
    }
}
