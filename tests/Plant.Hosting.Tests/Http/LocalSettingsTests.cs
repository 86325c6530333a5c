using System.Net;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

/// <summary>local.settings.json is read from the content root, as <c>func start</c> reads it.</summary>
public sealed class LocalSettingsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Values_from_local_settings_json_are_read_as_settings()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(TargetFunctions)],
            localSettingsJson: """{ "IsEncrypted": false, "Values": { "FUNCTION_TARGET": "Alpha", "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" } }""");
        await AssertServedAsync(host, served: "Alpha", notServed: "Beta");
    }

    [Fact]
    public async Task Explicit_settings_win_over_local_settings_json()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(TargetFunctions)],
            new Dictionary<string, string?> { ["FUNCTION_TARGET"] = "Beta" },
            localSettingsJson: """{ "Values": { "FUNCTION_TARGET": "Alpha" } }""");
        await AssertServedAsync(host, served: "Beta", notServed: "Alpha");
    }

    [Fact]
    public async Task A_number_in_local_settings_json_is_read_as_its_text()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(TargetFunctions)],
            localSettingsJson: """{ "Values": { "PLANT_RATE_LIMIT_PER_MINUTE": 1 } }""");
        using var first = await host.Client.GetAsync("/api/Alpha");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await host.Client.GetAsync("/api/Alpha");
        await Problem.AssertAsync(second, HttpStatusCode.TooManyRequests, Problems.TooManyRequests);
    }

    [Fact]
    public async Task A_local_settings_json_that_is_not_JSON_fails_start_up_naming_the_file()
    {
        var e = await Assert.ThrowsAsync<StartupException>(() => TestHost.StartAsync(database.ConnectionString, [typeof(TargetFunctions)],
            localSettingsJson: """{ "Values": { "FUNCTION_TARGET": """));
        Assert.Contains(e.Problems, p => p.StartsWith("local.settings.json" + ":", StringComparison.Ordinal));
    }

    private static async Task AssertServedAsync(TestHost host, string served, string notServed)
    {
        using var yes = await host.Client.GetAsync($"/api/{served}");
        Assert.Equal(HttpStatusCode.OK, yes.StatusCode);
        using var no = await host.Client.GetAsync($"/api/{notServed}");
        await Problem.AssertAsync(no, HttpStatusCode.NotFound, Problems.NotFound);
    }
}
