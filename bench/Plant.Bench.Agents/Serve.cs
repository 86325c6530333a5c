using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plant.Agents;
using Plant.Core.Agents;
using Plant.Core.Agents.ReadModel;
using Plant.Core.Data;
using Plant.Core.Paging;
using Plant.Hosting;

namespace Plant.Bench.Agents;

/// <summary>
/// The Agents app on the Plant host, and a bare ASP.NET Core minimal API that runs the same Plant.Core queries (the
/// same SQL, one batch per request) without the host: no function key check, no invocation bookkeeping, no strict
/// query parsing, no ETag. What separates the two is what the host and the thin functions cost.
/// </summary>
internal static class Serve
{
    public const string FunctionKey = "agents-bench-function-key-0123456789";

    public static async Task<int> RunAsync(string url, int barePort, int plantPort, bool logs)
    {
        var level = logs ? "Information" : "Warning";
        var folder = Directory.CreateTempSubdirectory("plant-agents-bench-").FullName;
        try
        {
            var hostJson = Path.Combine(folder, "host.json");
            await File.WriteAllTextAsync(hostJson, $$"""
                {
                  "version": "2.0",
                  "functionTimeout": "00:05:00",
                  "extensions": { "http": { "routePrefix": "api" } },
                  "logging": { "logLevel": { "default": "{{level}}", "Microsoft": "Warning", "Microsoft.Hosting.Lifetime": "Information", "Npgsql": "Warning" } }
                }
                """);
            var settings = new Dictionary<string, string?>
            {
                ["DATABASE_URL"] = url,
                ["PORT"] = plantPort.ToString(CultureInfo.InvariantCulture),
                ["PLANT_ENVIRONMENT"] = "uat",
                ["PLANT_RETENTION_DAYS"] = "30",
                ["PLANT_MASTER_KEY"] = "agents-bench-master-key-0123456789",
                ["PLANT_FUNCTION_KEYS"] = FunctionKey,
                ["PLANT_TIMERS_IN_PROCESS"] = "false",
                ["PLANT_LOG_FORMAT"] = "json",
                [PlantDataSource.PoolSizeSetting] = Environment.GetEnvironmentVariable(PlantDataSource.PoolSizeSetting),
            };
            var plant = FunctionHost.Build(new FunctionHostOptions { Apps = [AgentsApp.Definition], HostJsonPath = hostJson, ContentRoot = folder, Settings = settings });
            var bare = BuildBare(url, barePort, Enum.Parse<LogLevel>(level));
            await bare.StartAsync();
            await plant.StartAsync();
            await Console.Error.WriteLineAsync($"bare on http://127.0.0.1:{barePort}/api/v1/agents, plant on http://127.0.0.1:{plantPort}/api/v1/agents; Ctrl-C stops");
            await Task.WhenAll(bare.WaitForShutdownAsync(), plant.WaitForShutdownAsync());
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static WebApplication BuildBare(string url, int port, LogLevel level)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddJsonConsole().SetMinimumLevel(level)
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });

        // The same data source settings as the host's (pool size from PLANT_DB_POOL_SIZE).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = url,
            [PlantDataSource.PoolSizeSetting] = Environment.GetEnvironmentVariable(PlantDataSource.PoolSizeSetting),
        }).Build();
        var dataSource = PlantDataSource.Create(PlantDataSource.ReadConnectionSettings(configuration, "plant-bench-bare"));
        // With the Agents app's read model, so that both sides answer lists and items the same way.
        var queries = new AgentQueries(dataSource, new PageCursors(dataSource), new AgentReadModel(dataSource));
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var app = builder.Build();
        app.MapGet("api/v1/agents", async (HttpContext http) =>
        {
            var query = http.Request.Query;
            var filter = new AgentFilter
            {
                Industry = Guid.TryParse(query["industry"], out var industry) ? industry : null,
                Skills = Guid.TryParse(query["skill"], out var skill) ? [skill] : [],
            };
            var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 20;
            var page = await queries.ListAsync(filter, AgentSort.Name, limit, null, http.RequestAborted);
            return Results.Json(new { items = page.Items, nextCursor = page.NextCursor }, json);
        });
        app.MapGet("api/v1/agents/{id:guid}", async (Guid id, HttpContext http) =>
        {
            var (agent, _) = await queries.GetAsync(id, AgentFilter.DefaultStatuses, http.RequestAborted);
            return agent is null ? Results.NotFound() : Results.Json(agent, json);
        });
        return app;
    }
}
