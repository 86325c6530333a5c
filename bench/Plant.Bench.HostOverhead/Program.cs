using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Bench.HostOverhead;
using Plant.Hosting;

// Usage: Plant.Bench.HostOverhead BARE_PORT PLANT_PORT quiet|logs
//   quiet: both at Warning, so neither writes a line per request (the fair comparison of the request paths).
//   logs:  the host.json levels the function apps ship with; the Plant host then writes its two Information
//          lines per invocation (JSON, as in a container), the bare endpoint writes none.
if (args.Length != 3 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var barePort)
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var plantPort) || args[2] is not ("quiet" or "logs"))
{
    await Console.Error.WriteLineAsync("usage: Plant.Bench.HostOverhead BARE_PORT PLANT_PORT quiet|logs");
    return 2;
}

var logs = args[2] == "logs";
var defaultLevel = logs ? "Information" : "Warning";
var folder = Directory.CreateTempSubdirectory("plant-bench-").FullName;
try
{
    // The levels of the repository's host.json, with only the default changed in quiet mode.
    var hostJson = Path.Combine(folder, "host.json");
    await File.WriteAllTextAsync(hostJson, $$"""
        {
          "version": "2.0",
          "functionTimeout": "00:05:00",
          "extensions": { "http": { "routePrefix": "api" } },
          "logging": { "logLevel": { "default": "{{defaultLevel}}", "Microsoft": "Warning", "Microsoft.Hosting.Lifetime": "Information", "Npgsql": "Warning" } }
        }
        """);

    var bare = BuildBare(barePort, Enum.Parse<LogLevel>(defaultLevel));
    var plant = FunctionHost.Build(new FunctionHostOptions
    {
        // The host keeps timer state in the app's data source; the bench has no timer, so it is never opened.
        Apps = [new FunctionApp("Bench", [typeof(HelloFunction)], (services, _) =>
            services.AddSingleton(_ => NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=bench;Database=bench")))],
        HostJsonPath = hostJson,
        ContentRoot = folder,
        // As a uat container, but on loopback only (no K_SERVICE, which would bind 0.0.0.0); uat keeps the
        // rate limiter off, which prod turns on and which would answer most of the load with 429.
        Settings = new Dictionary<string, string?>
        {
            ["PORT"] = plantPort.ToString(CultureInfo.InvariantCulture),
            ["PLANT_ENVIRONMENT"] = "uat",
            ["PLANT_RETENTION_DAYS"] = "30",
            ["PLANT_MASTER_KEY"] = "host-overhead-bench-master-key-0123456789",
            ["PLANT_FUNCTION_KEYS"] = HelloFunction.Key,
            ["PLANT_TIMERS_IN_PROCESS"] = "false",
            ["PLANT_LOG_FORMAT"] = "json",
        },
    });

    await bare.StartAsync();
    await plant.StartAsync();
    Console.Error.WriteLine($"bare on http://127.0.0.1:{barePort}/api/hello, plant on http://127.0.0.1:{plantPort}/api/hello ({args[2]}); Ctrl-C stops");
    await Task.WhenAll(bare.WaitForShutdownAsync(), plant.WaitForShutdownAsync());
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static WebApplication BuildBare(int port, LogLevel level)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders().AddJsonConsole().SetMinimumLevel(level)
        .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.Listen(IPAddress.Loopback, port);
        kestrel.AddServerHeader = false;
    });
    var app = builder.Build();
    app.MapGet("api/hello", () => Results.Ok(new Greeting("hello")));
    app.MapGet("api/hello-key", () => Results.Ok(new Greeting("hello")));
    return app;
}
