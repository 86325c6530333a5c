using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class HealthTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=plant_probe;Password=probe-password;Database=plant_probe;Timeout=3";

    [Theory]
    [InlineData("api")]
    [InlineData("")]
    public async Task Healthz_answers_200_without_a_key_whatever_the_prefix(string prefix)
    {
        await using var host = await TestHost.StartAsync(Unreachable, [typeof(KeyFunctions)],
            hostJson: $$"""{ "version": "2.0", "extensions": { "http": { "routePrefix": "{{prefix}}" } } }""");
        using var response = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"alive"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_answers_200_when_the_database_is_reachable()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(KeyFunctions)]);
        using var response = await host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ready"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_reports_the_apps_details_beside_the_database_without_waiting_for_them()
    {
        var app = TestHost.App([typeof(KeyFunctions)]);
        await using var host = await TestHost.StartAsync(database.ConnectionString, new FunctionApp("Test", app.FunctionTypes, (services, configuration) =>
        {
            app.ConfigureServices(services, configuration);
            services.AddSingleton<IReadinessDetail>(new Detail("search", "loading the embedding model"));
        }));

        using var response = await host.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ready","details":{"search":"loading the embedding model"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_answers_a_503_problem_without_details_when_the_database_is_unreachable()
    {
        await using var host = await TestHost.StartAsync(Unreachable, [typeof(KeyFunctions)]);
        using var response = await host.Client.GetAsync("/readyz");
        var problem = await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
        var body = problem.GetRawText();
        Assert.DoesNotContain("plant_probe", body, StringComparison.Ordinal);
        Assert.DoesNotContain("probe-password", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
    }

    private sealed record Detail(string Name, string State) : IReadinessDetail
    {
        public string Describe() => State;
    }
}
