using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class TargetFunctions
{
    [Function("Alpha")]
    public static string Alpha([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "alpha";

    [Function("Beta")]
    public static string Beta([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "beta";

    [Function("Gamma")]
    public static string Gamma([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "gamma";
}

public sealed class FunctionTargetTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData(null, "Alpha,Beta,Gamma", "")]
    [InlineData("", "Alpha,Beta,Gamma", "")]
    [InlineData("Beta", "Beta", "Alpha,Gamma")]
    [InlineData("beta", "Beta", "Alpha,Gamma")]
    [InlineData("Alpha,Gamma", "Alpha,Gamma", "Beta")]
    [InlineData(" Gamma , Alpha ,", "Alpha,Gamma", "Beta")]
    public async Task FUNCTION_TARGET_restricts_the_functions_served(string? target, string served, string notServed)
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(TargetFunctions)],
            new Dictionary<string, string?> { ["FUNCTION_TARGET"] = target });
        foreach (var name in served.Split(','))
        {
            using var response = await host.Client.GetAsync($"/api/{name}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(name.ToLowerInvariant(), await response.Content.ReadAsStringAsync());
        }

        foreach (var name in notServed.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            using var response = await host.Client.GetAsync($"/api/{name}");
            await Problem.AssertAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
        }
    }

    [Theory]
    [InlineData("Delta", "Delta")]
    [InlineData("Alpha,Delta", "Delta")]
    [InlineData("Alpha, Epsilon ,Beta", "Epsilon")]
    public void An_unknown_FUNCTION_TARGET_name_fails_start_up_naming_it(string target, string unknown)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(TargetFunctions)],
            new Dictionary<string, string?> { ["FUNCTION_TARGET"] = target });
        Assert.Contains(e.Problems, p => p.StartsWith("FUNCTION_TARGET" + ":", StringComparison.Ordinal));
        Assert.StartsWith("FUNCTION_TARGET", e.Message, StringComparison.Ordinal);
        Assert.Contains(unknown, e.Message, StringComparison.Ordinal);
    }
}
