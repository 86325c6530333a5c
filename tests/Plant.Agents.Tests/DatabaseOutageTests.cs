using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>The Agents app on a PostgreSQL server of its own, which the tests stop and restart.</summary>
public sealed class AgentsOutageDrill : IAsyncLifetime
{
    public OutageDrill Drill { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Drill = await OutageDrill.StartAsync(AgentsApp.Definition);
        await SeededCatalog.WarmUpAsync(Drill.Host);
    }

    public async Task DisposeAsync() => await Drill.DisposeAsync();
}

/// <summary>
/// Every route of the Agents app while its database is stopped (a 503 problem with Retry-After, never a 500) and
/// just after it restarted (no request fails because its pooled connection is from before the restart).
/// </summary>
public sealed class DatabaseOutageTests(AgentsOutageDrill fixture) : IClassFixture<AgentsOutageDrill>
{
    private const string StartTrial = "POST /api/v1/trials";
    private static readonly Guid s_agent = Seeded.Agent("Sentinel");

    private static readonly OutageRequest[] s_requests =
    [
        new("GET /api/v1/agents", "/api/v1/agents?limit=5"),
        new("GET /api/v1/agents/{id:guid}", $"/api/v1/agents/{s_agent}"),
        new("GET /api/v1/agents/search", "/api/v1/agents/search?q=fraud"),
        new("GET /api/v1/industries", "/api/v1/industries"),
        new("GET /api/v1/industries/{id:guid}", $"/api/v1/industries/{Seeded.Industry("Financial Services")}"),
        new("GET /api/v1/job-roles", "/api/v1/job-roles"),
        new("GET /api/v1/job-roles/{id:guid}", $"/api/v1/job-roles/{Guid.NewGuid()}", HttpStatusCode.NotFound),
        new("GET /api/v1/skills", "/api/v1/skills"),
        new("GET /api/v1/skills/{id:guid}", $"/api/v1/skills/{Guid.NewGuid()}", HttpStatusCode.NotFound),
        new("GET /api/v1/teams", "/api/v1/teams"),
        new("GET /api/v1/teams/{id:guid}", $"/api/v1/teams/{Guid.NewGuid()}", HttpStatusCode.NotFound),
        // A new customer each time, so that every send starts a trial.
        new(StartTrial, "/api/v1/trials", HttpStatusCode.Created, Body: () =>
            $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"outage-{{{Guid.NewGuid():N}}}","email":"someone@example.com"}}"""),
        new("GET /api/v1/trials/{id:guid}", $"/api/v1/trials/{Guid.NewGuid()}", HttpStatusCode.NotFound),
        new("POST /api/v1/trials/{id:guid}/cancel", $"/api/v1/trials/{Guid.NewGuid()}/cancel", HttpStatusCode.NotFound),
    ];

    public static TheoryData<string> Routes => [.. s_requests.Select(r => r.Route)];

    private OutageDrill Drill => fixture.Drill;

    [Fact]
    public void The_table_has_every_route_the_app_serves() => Assert.Equal(Drill.FunctionRoutes().Order(), s_requests.Select(r => r.Route).Order());

    [Theory]
    [MemberData(nameof(Routes))]
    public Task While_the_database_is_down_the_route_is_503_and_it_answers_once_the_database_is_back(string route) =>
        Drill.AssertDownThenBackAsync(s_requests.Single(r => r.Route == route));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_database_restart_while_the_app_is_idle_fails_no_request(string route)
    {
        var trials = await Drill.CountAsync("select count(*) from catalog.trial");

        await Drill.AssertRestartFailsNothingAsync(s_requests.Single(r => r.Route == route), s_requests[0]);

        // Run again after its stale connection, a trial start still starts one trial.
        Assert.Equal(trials + (route == StartTrial ? 1 : 0), await Drill.CountAsync("select count(*) from catalog.trial"));
    }
}

/// <summary>A database nobody migrated is not an outage: it is a 500 that says so, and retrying will not help.</summary>
public sealed class UnmigratedDatabaseTests : PostgresDatabaseFixture
{
    [Theory]
    [InlineData("/api/v1/agents")]
    [InlineData("/api/v1/industries")]
    [InlineData("/api/v1/agents/search?q=fraud")]
    public async Task A_route_on_an_unmigrated_database_is_a_database_not_migrated_problem(string path)
    {
        await using var host = await TestHost.StartAsync(ConnectionString, AgentsApp.Definition);

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, path));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.InternalServerError, "database-not-migrated");
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.True(Guid.TryParse(problem.GetProperty("invocationId").GetString(), out _));
    }
}
