using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;
using Plant.Hosting.Http;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

public sealed class TokenFunctions
{
    [Function("Caller")]
    public static string Caller([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) =>
        request.HttpContext.User.FindFirst("email")?.Value ?? "a key";

    [Function("Actor")]
    public static string Actor([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) => Actors.Of(request, "anonymous");

    [Function("TokenAdminOnly")]
    public static string AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "AdminOnly")] HttpRequest request) => "admin";

    [Function("Tick")]
    public static void Tick([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer)
    {
    }
}

/// <summary>A host that takes tokens from a local issuer: a portal backend at the Function level, the scheduler at Admin.</summary>
public sealed class TokenHost : PostgresDatabaseFixture
{
    public const string Audience = "https://plant.test";
    public const string Portal = "portal@plant.test";
    public const string Scheduler = "scheduler@plant.test";

    public LocalIssuer Issuer { get; private set; } = null!;

    public TestHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Issuer = await LocalIssuer.StartAsync();
        Host = await StartHostAsync(ConnectionString, Issuer);
    }

    /// <summary>A host taking the issuer's tokens; <paramref name="more"/> adds or overrides settings.</summary>
    public static Task<TestHost> StartHostAsync(string connectionString, LocalIssuer issuer, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            [BearerTokens.IssuerSetting] = issuer.Issuer,
            [BearerTokens.AudiencesSetting] = Audience,
            [BearerTokens.FunctionCallersSetting] = Portal,
            [BearerTokens.AdminCallersSetting] = Scheduler,
            [Actors.AssertersSetting] = Portal,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return TestHost.StartAsync(connectionString, [typeof(TokenFunctions)], settings);
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Besides keys, routes take Google-shaped ID tokens from a trusted issuer (here a local one with its own keys):
/// signature, issuer, audience, expiry and a verified email are checked, and the email's list gives the level.
/// </summary>
public sealed class BearerTokenTests(TokenHost fixture) : IClassFixture<TokenHost>
{
    private TestHost Host => fixture.Host;

    private LocalIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task A_good_token_admits_its_principal_at_its_level_and_no_higher()
    {
        var portal = Issuer.Token(TokenHost.Portal, TokenHost.Audience);
        var scheduler = Issuer.Token(TokenHost.Scheduler, TokenHost.Audience);

        using var portalCalls = await SendAsync(HttpMethod.Get, "/api/Caller", portal);
        using var portalAdmin = await SendAsync(HttpMethod.Get, "/api/AdminOnly", portal);
        using var portalTimer = await SendAsync(HttpMethod.Post, "/admin/functions/Tick", portal);
        using var schedulerCalls = await SendAsync(HttpMethod.Get, "/api/Caller", scheduler);
        using var schedulerAdmin = await SendAsync(HttpMethod.Get, "/api/AdminOnly", scheduler);
        using var schedulerTimer = await SendAsync(HttpMethod.Post, "/admin/functions/Tick", scheduler);

        Assert.Equal((HttpStatusCode.OK, TokenHost.Portal), (portalCalls.StatusCode, await portalCalls.Content.ReadAsStringAsync()));
        var forbidden = await Problem.AssertAsync(portalAdmin, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal($"{TokenHost.Portal} is not admitted at the admin level.", forbidden.GetProperty("detail").GetString());
        await Problem.AssertAsync(portalTimer, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal((HttpStatusCode.OK, TokenHost.Scheduler), (schedulerCalls.StatusCode, await schedulerCalls.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, schedulerAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, schedulerTimer.StatusCode);
    }

    [Fact]
    public async Task The_actor_is_the_verified_caller_or_the_user_a_listed_caller_names()
    {
        var portal = Issuer.Token(TokenHost.Portal, TokenHost.Audience);
        var scheduler = Issuer.Token(TokenHost.Scheduler, TokenHost.Audience);

        using var byToken = await SendAsync(HttpMethod.Get, "/api/Actor", portal);
        using var byKey = await Host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Actor"));
        using var onBehalf = await SendAsync(HttpMethod.Get, "/api/Actor", portal, ("X-Plant-Actor", "portal:user-42"));
        using var notListed = await SendAsync(HttpMethod.Get, "/api/Actor", scheduler, ("X-Plant-Actor", "portal:user-42"));

        Assert.Equal(TokenHost.Portal, await byToken.Content.ReadAsStringAsync());
        Assert.Equal("key:function-1", await byKey.Content.ReadAsStringAsync());
        Assert.Equal("portal:user-42", await onBehalf.Content.ReadAsStringAsync());
        var problem = await Problem.AssertAsync(notListed, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal((Actors.Header, $"{TokenHost.Scheduler} may not name an actor: X-Plant-Actor is taken only from the callers listed in PLANT_ACTOR_CALLERS."),
            (problem.GetProperty("parameter").GetString(), problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_verified_principal_on_neither_list_is_403()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/Caller", Issuer.Token("stranger@plant.test", TokenHost.Audience));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("stranger@plant.test is not admitted to this service.", problem.GetProperty("detail").GetString());
    }

    public static TheoryData<string, string> BadTokens => new()
    {
        { "expired", "it has expired" },
        { "not yet valid", "it is not valid yet" },
        { "wrong audience", "it is for another audience" },
        { "wrong issuer", "it is from another issuer" },
        { "unknown key", "it is signed with a key the issuer does not publish" },
        { "alg none", "its signature does not verify" },
        { "HS256 with the public key", "its signature does not verify" },
        { "tampered payload", "its signature does not verify" },
        { "unverified email", "it carries no verified email" },
        { "oversize", "it is longer than 8 KB" },
        { "not a JWT", "it is not a JSON Web Token" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_fails_a_check_is_a_401_saying_which_and_never_echoing_it(string kind, string because)
    {
        var token = Bad(kind);

        using var response = await SendAsync(HttpMethod.Get, "/api/Caller", token);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal($"The bearer token was refused: {because}.", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(token.Split('.')[0], problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_still_work_beside_tokens_and_a_request_with_neither_is_401()
    {
        using var keyed = await Host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Caller"));
        using var neither = await Host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Caller", key: null));

        Assert.Equal("a key", await keyed.Content.ReadAsStringAsync());
        await Problem.AssertAsync(neither, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_issuer_s_keys_are_fetched_once_not_per_request()
    {
        using (await SendAsync(HttpMethod.Get, "/api/Caller", Issuer.Token(TokenHost.Portal, TokenHost.Audience)))
        {
        }

        var fetches = Issuer.DocumentFetches;
        for (var i = 0; i < 20; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/Caller", Issuer.Token(TokenHost.Portal, TokenHost.Audience));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(fetches, Issuer.DocumentFetches);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_issuer_rotated_in_is_accepted_after_one_refresh()
    {
        // A host and issuer of its own: a refresh is allowed only every few minutes, and the other tests use theirs.
        await using var issuer = await LocalIssuer.StartAsync();
        await using var host = await TokenHost.StartHostAsync(fixture.ConnectionString, issuer);
        using (var first = await SendAsync(host, HttpMethod.Get, "/api/Caller", issuer.Token(TokenHost.Portal, TokenHost.Audience)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var fetches = issuer.DocumentFetches;
        issuer.Rotate();
        using var rotated = await SendAsync(host, HttpMethod.Get, "/api/Caller", issuer.Token(TokenHost.Portal, TokenHost.Audience));

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(fetches + 2, issuer.DocumentFetches); // the discovery document and the JWKS, once
    }

    [Fact]
    public async Task Behind_Cloud_Run_s_IAM_check_the_claims_of_the_token_it_hands_on_without_its_signature_are_checked()
    {
        await using var host = await TokenHost.StartHostAsync(fixture.ConnectionString, Issuer, (BearerTokens.VerifiedBySetting, "cloud-run"));
        var fetches = Issuer.DocumentFetches;

        // As Cloud Run hands it on: from X-Serverless-Authorization, which it prefers, while Authorization carries the caller's own.
        using var serverless = await SendAsync(host, HttpMethod.Get, "/api/Caller", "not-for-plant",
            (BearerTokens.ServerlessHeader, "Bearer " + Stripped(Issuer.Token(TokenHost.Portal, TokenHost.Audience))));
        using var authorization = await SendAsync(host, HttpMethod.Get, "/api/AdminOnly", Stripped(Issuer.Token(TokenHost.Scheduler, TokenHost.Audience)));
        using var expired = await SendAsync(host, HttpMethod.Get, "/api/Caller",
            Stripped(Issuer.Token(TokenHost.Portal, TokenHost.Audience, lifetime: TimeSpan.FromMinutes(-10), notBefore: DateTimeOffset.UtcNow.AddHours(-1))));
        using var elsewhere = await SendAsync(host, HttpMethod.Get, "/api/Caller", Stripped(Issuer.Token(TokenHost.Portal, "https://elsewhere.test")));
        var fetched = Issuer.DocumentFetches - fetches;
        // A host that checks signatures itself refuses the same token.
        using var checkedHere = await SendAsync(HttpMethod.Get, "/api/Caller", Stripped(Issuer.Token(TokenHost.Portal, TokenHost.Audience)));

        Assert.Equal((HttpStatusCode.OK, TokenHost.Portal), (serverless.StatusCode, await serverless.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, authorization.StatusCode);
        Assert.Equal("The bearer token was refused: it has expired.", (await Problem.AssertAsync(expired, HttpStatusCode.Unauthorized, "unauthorized")).GetProperty("detail").GetString());
        Assert.Equal("The bearer token was refused: it is for another audience.", (await Problem.AssertAsync(elsewhere, HttpStatusCode.Unauthorized, "unauthorized")).GetProperty("detail").GetString());
        Assert.Equal("The bearer token was refused: its signature does not verify.", (await Problem.AssertAsync(checkedHere, HttpStatusCode.Unauthorized, "unauthorized")).GetProperty("detail").GetString());
        Assert.Equal(0, fetched); // behind Cloud Run no key is ever fetched
    }

    /// <summary>The token as Cloud Run passes it to the container: the signature replaced by a marker.</summary>
    private static string Stripped(string token) => token[..(token.LastIndexOf('.') + 1)] + "SIGNATURE_REMOVED_BY_GOOGLE";

    [Fact]
    public async Task An_issuer_whose_keys_cannot_be_fetched_is_a_503_with_Retry_After_not_the_caller_s_fault()
    {
        await using var host = await TokenHost.StartHostAsync(fixture.ConnectionString, Issuer,
            (BearerTokens.DiscoverySetting, "http://127.0.0.1:1/.well-known/openid-configuration"));

        using var response = await SendAsync(host, HttpMethod.Get, "/api/Caller", Issuer.Token(TokenHost.Portal, TokenHost.Audience));

        await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
    }

    [Theory]
    [InlineData(BearerTokens.AudiencesSetting, "https://plant.test", null, "PLANT_TOKEN_FUNCTION_CALLERS")]
    [InlineData(BearerTokens.FunctionCallersSetting, "a@plant.test", null, "PLANT_TOKEN_AUDIENCES")]
    [InlineData(BearerTokens.DiscoverySetting, "http://issuer.example/.well-known/openid-configuration", "https://plant.test", "PLANT_TOKEN_DISCOVERY_URL")]
    [InlineData(BearerTokens.VerifiedBySetting, "google", "https://plant.test", "PLANT_TOKEN_VERIFIED_BY")]
    public void Settings_that_cannot_work_stop_start_up_naming_the_setting(string setting, string value, string? audience, string named)
    {
        var settings = new Dictionary<string, string?> { [setting] = value };
        if (audience is not null)
        {
            settings[BearerTokens.AudiencesSetting] = audience;
            settings[BearerTokens.FunctionCallersSetting] = TokenHost.Portal;
        }

        var error = Assert.Throws<StartupException>(() => BearerTokens.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private string Bad(string kind) => kind switch
    {
        "expired" => Issuer.Token(TokenHost.Portal, TokenHost.Audience, lifetime: TimeSpan.FromMinutes(-10), notBefore: DateTimeOffset.UtcNow.AddHours(-1)),
        "not yet valid" => Issuer.Token(TokenHost.Portal, TokenHost.Audience, notBefore: DateTimeOffset.UtcNow.AddMinutes(10)),
        "wrong audience" => Issuer.Token(TokenHost.Portal, "https://elsewhere.test"),
        "wrong issuer" => Issuer.Token(TokenHost.Portal, TokenHost.Audience, issuer: "https://accounts.example"),
        "unknown key" => Issuer.Token(TokenHost.Portal, TokenHost.Audience, key: LocalIssuer.UnpublishedKey()),
        "alg none" => Issuer.UnsignedToken(TokenHost.Scheduler, TokenHost.Audience),
        "HS256 with the public key" => Issuer.Token(TokenHost.Scheduler, TokenHost.Audience,
            key: new SymmetricSecurityKey(Issuer.SigningKey.Rsa.ExportSubjectPublicKeyInfo()) { KeyId = Issuer.SigningKey.KeyId }, algorithm: SecurityAlgorithms.HmacSha256),
        "tampered payload" => Tamper(Issuer.Token(TokenHost.Portal, TokenHost.Audience)),
        "unverified email" => Issuer.Token(TokenHost.Portal, TokenHost.Audience, emailVerified: false),
        "oversize" => Issuer.Token(TokenHost.Portal, TokenHost.Audience) + new string('A', BearerTokens.MaxTokenLength),
        _ => "not-a-token",
    };

    /// <summary>The portal's token with its email changed to the scheduler's, and the portal's signature kept.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(TokenHost.Portal, TokenHost.Scheduler, StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, params (string Name, string Value)[] headers) =>
        SendAsync(Host, method, path, token, headers);

    private static Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string path, string token, params (string Name, string Value)[] headers)
    {
        var request = TestHost.Request(method, path, key: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return host.Client.SendAsync(request);
    }
}
