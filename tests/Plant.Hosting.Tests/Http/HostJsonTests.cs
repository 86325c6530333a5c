using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class HostJsonFunctions
{
    /// <summary>Holds each <c>IgnoresToken</c> invocation until the test lets it go.</summary>
    internal static readonly SemaphoreSlim Release = new(0);

    [Function("Quick")]
    public static string Quick([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "quick";

    [Function("Other")]
    public static string Other([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "other";

    [Function("ObservesToken")]
    public static async Task<string> ObservesToken([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return "never";
    }

    [Function("IgnoresToken")]
    public static async Task<string> IgnoresToken([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request)
    {
        await Release.WaitAsync();
        return "late";
    }
}

public sealed class HostJsonTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string OneSecondTimeout = """{ "version": "2.0", "functionTimeout": "00:00:01" }""";

    [Theory]
    [InlineData("admin")]
    [InlineData("/admin/")]
    [InlineData("Admin")]
    [InlineData("admin/v1")]
    public void The_admin_route_prefix_is_refused_at_start_up(string prefix)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(HostJsonFunctions)],
            hostJson: $$"""{ "version": "2.0", "extensions": { "http": { "routePrefix": "{{prefix}}" } } }""");
        Assert.Contains(e.Problems, p => p.StartsWith("host.json extensions.http.routePrefix" + ":", StringComparison.Ordinal));
        Assert.Contains("routePrefix", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "functionTimeout": "soon" }""", "host.json functionTimeout")]
    [InlineData("""{ "functionTimeout": "-00:00:05" }""", "host.json functionTimeout")]
    [InlineData("""{ "logging": { "logLevel": { "default": "Loud" } } }""", "host.json logging.logLevel.default")]
    [InlineData("""{ "extensions": { "http": { "routePrefix": 5 } } }""", "host.json extensions.http.routePrefix")]
    [InlineData("""{ "logging": { "logLevel": { "default": 2 } } }""", "host.json logging.logLevel.default")]
    [InlineData("""{ "logging": { "logLevel": "Warning" } }""", "host.json logging.logLevel")]
    [InlineData("""{ "extensions": { "http": "api" } }""", "host.json extensions.http")]
    [InlineData("""[ "version", "2.0" ]""", "host.json")]
    [InlineData("""{ "version": "2.0", """, "host.json")]
    public void A_wrong_host_json_value_is_refused_naming_it(string hostJson, string setting)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(HostJsonFunctions)], hostJson: hostJson);
        Assert.Contains(e.Problems, p => p.StartsWith(setting + ":", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ObservesToken")]
    [InlineData("IgnoresToken")]
    public async Task A_function_that_overruns_functionTimeout_gets_a_504_problem_with_its_invocation_id(string function)
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(HostJsonFunctions)], hostJson: OneSecondTimeout);
        try
        {
            using var response = await host.Client.GetAsync($"/api/{function}");
            var problem = await Problem.AssertAsync(response, HttpStatusCode.GatewayTimeout, Problems.FunctionTimeout);
            Assert.True(response.Headers.ConnectionClose);
            var invocationId = problem.GetProperty("invocationId").GetString();
            Assert.True(Guid.TryParse(invocationId, out _));
            var executed = Assert.Single(host.Logs.Lines, l => l.Message.StartsWith($"Executed 'Functions.{function}'", StringComparison.Ordinal));
            Assert.Contains($"(Failed, Id={invocationId},", executed.Message, StringComparison.Ordinal);
            Assert.Equal(LogLevel.Error, executed.Level);

            // The host still serves after a timeout.
            using var next = await host.Client.GetAsync("/api/Quick");
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
        finally
        {
            if (function == "IgnoresToken")
            {
                HostJsonFunctions.Release.Release();
            }
        }
    }

    [Fact]
    public async Task A_function_within_functionTimeout_succeeds()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(HostJsonFunctions)], hostJson: OneSecondTimeout);
        using var response = await host.Client.GetAsync("/api/Quick");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("quick", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_default_log_level_of_Warning_hides_the_invocation_lines()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(HostJsonFunctions)],
            hostJson: """{ "version": "2.0", "logging": { "logLevel": { "default": "Warning" } } }""");
        using var response = await host.Client.GetAsync("/api/Quick");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Level < LogLevel.Warning);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains("Functions.Quick", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_log_level_for_one_function_category_leaves_the_others_alone()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(HostJsonFunctions)],
            hostJson: """{ "version": "2.0", "logging": { "logLevel": { "default": "Information", "Function.Quick": "Warning" } } }""");
        using (var quick = await host.Client.GetAsync("/api/Quick"))
        using (var other = await host.Client.GetAsync("/api/Other"))
        {
            Assert.Equal(HttpStatusCode.OK, quick.StatusCode);
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains("Functions.Quick", StringComparison.Ordinal));
        Assert.Single(host.Logs.Lines, l => l.Message.StartsWith("Executing 'Functions.Other'", StringComparison.Ordinal));
        Assert.Single(host.Logs.Lines, l => l.Message.StartsWith("Executed 'Functions.Other'", StringComparison.Ordinal));
    }
}
