using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class RateLimitFunctions
{
    [Function("Limited")]
    public static string Limited([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) => "ok";

    [Function("Public")]
    public static string Public([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "ok";
}

/// <summary>Each test has its own host: the limiter's budgets are state that tests must not share.</summary>
public sealed class RateLimitTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const int PerMinute = 3;

    [Theory]
    [InlineData(TestHost.FunctionKey, TestHost.MasterKey)]
    [InlineData(TestHost.MasterKey, TestHost.FunctionKey)]
    public async Task A_key_over_its_budget_gets_a_429_problem_with_Retry_After_while_another_key_still_passes(string spent, string other)
    {
        await using var host = await StartAsync(PerMinute);
        for (var i = 0; i < PerMinute; i++)
        {
            using var allowed = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Limited", spent));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var refused = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Limited", spent)))
        {
            await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }

        // The same key in ?code= is the same budget.
        using (var viaQuery = await host.Client.GetAsync($"/api/Limited?code={spent}"))
        {
            await Problem.AssertAsync(viaQuery, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        }

        using var otherKey = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Limited", other));
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_key_share_one_budget_apart_from_the_keys()
    {
        await using var host = await StartAsync(PerMinute);
        for (var i = 0; i < PerMinute; i++)
        {
            using var allowed = await host.Client.GetAsync("/api/Public");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var refused = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Public", "wrong-key-but-long-enough")))
        {
            await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        }

        using var keyed = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Public", TestHost.FunctionKey));
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
    }

    [Fact]
    public async Task Each_verified_token_principal_has_its_own_budget_and_a_refused_token_spends_the_address_s()
    {
        await using var issuer = await LocalIssuer.StartAsync();
        await using var host = await TokenHost.StartHostAsync(database.ConnectionString, issuer, ("PLANT_RATE_LIMIT_PER_MINUTE", "3"));
        var portal = issuer.Token(TokenHost.Portal, TokenHost.Audience);
        for (var i = 0; i < PerMinute; i++)
        {
            using var allowed = await SendAsync(host, portal);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var refused = await SendAsync(host, portal))
        {
            await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
        }

        // The scheduler's token is another caller: its budget is whole, and so is the address's.
        using (var scheduler = await SendAsync(host, issuer.Token(TokenHost.Scheduler, TokenHost.Audience)))
        {
            Assert.Equal(HttpStatusCode.OK, scheduler.StatusCode);
        }

        // Tokens that fail verification are not callers: however many differ, they share the address's budget.
        for (var i = 0; i < PerMinute; i++)
        {
            using var expired = await SendAsync(host, issuer.Token(TokenHost.Portal, TokenHost.Audience, lifetime: TimeSpan.FromMinutes(-10 - i), notBefore: DateTimeOffset.UtcNow.AddHours(-1)));
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }

        using var overBudget = await SendAsync(host, issuer.Token(TokenHost.Portal, "https://elsewhere.test"));
        await Problem.AssertAsync(overBudget, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
    }

    [Fact]
    public async Task Health_checks_are_not_rate_limited()
    {
        await using var host = await StartAsync(1);
        for (var i = 0; i < 3; i++)
        {
            using var response = await host.Client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Without_the_setting_outside_prod_there_is_no_limit()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(RateLimitFunctions)]);
        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/Limited"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(TestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/Caller");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return host.Client.SendAsync(request);
    }

    private Task<TestHost> StartAsync(int perMinute) =>
        TestHost.StartAsync(database.ConnectionString, [typeof(RateLimitFunctions)],
            new Dictionary<string, string?> { ["PLANT_RATE_LIMIT_PER_MINUTE"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
