using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Plant.Core.Data;
using Plant.Hosting;
using Xunit;

namespace Plant.Testing.Hosting;

/// <summary>
/// A real function host on a free port of 127.0.0.1, serving the given function classes, with its log lines
/// captured. Settings are passed in, never taken from the process environment, so tests do not disturb each other.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string MasterKey = "test-master-key-0123456789";
    public const string FunctionKey = "test-function-key-0123456789";

    private readonly WebApplication _app;
    private readonly string _folder;

    private TestHost(WebApplication app, string folder, CapturedLogs logs)
    {
        _app = app;
        _folder = folder;
        Logs = logs;
        Client = new HttpClient { BaseAddress = FunctionHost.GetAddress(app), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds and starts a host. <paramref name="hostJson"/> is host.json's text (default: prefix "api");
    /// <paramref name="localSettingsJson"/>, when given, is written as local.settings.json in the content root.
    /// A setting given as null is unset, even when the test host has a default for it.
    /// </summary>
    public static Task<TestHost> StartAsync(
        string connectionString,
        IEnumerable<Type> functionTypes,
        IDictionary<string, string?>? settings = null,
        string? hostJson = null,
        string? localSettingsJson = null) =>
        StartAsync(connectionString, App(functionTypes), settings, hostJson, localSettingsJson);

    /// <summary>Builds and starts a host serving a whole function app, with the services it registers.</summary>
    public static async Task<TestHost> StartAsync(
        string connectionString,
        FunctionApp functionApp,
        IDictionary<string, string?>? settings = null,
        string? hostJson = null,
        string? localSettingsJson = null)
    {
        var folder = Directory.CreateTempSubdirectory("plant-host-test-").FullName;
        if (localSettingsJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, "local.settings.json"), localSettingsJson);
        }

        var logs = new CapturedLogs();
        WebApplication? app = null;
        try
        {
            app = Build(connectionString, functionApp, folder, logs, settings, hostJson);
            await app.StartAsync();
            return new TestHost(app, folder, logs);
        }
        catch
        {
            // A host that fails to build or start leaves nothing behind either.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Builds without starting, for tests of start-up errors.</summary>
    public static WebApplication Build(
        string connectionString,
        IEnumerable<Type> functionTypes,
        string folder,
        CapturedLogs? logs = null,
        IDictionary<string, string?>? settings = null,
        string? hostJson = null) =>
        Build(connectionString, App(functionTypes), folder, logs, settings, hostJson);

    /// <summary>An app of bare function classes, with the data source every app registers (the host keeps its timers' state in it).</summary>
    public static FunctionApp App(IEnumerable<Type> functionTypes) => new("Test", functionTypes, (services, configuration) =>
    {
        var database = PlantDataSource.ReadConnectionSettings(configuration, "plant-test");
        services.TryAddSingleton(_ => PlantDataSource.Create(database));
    });

    /// <summary>Builds a host for a whole function app without starting it.</summary>
    public static WebApplication Build(
        string connectionString,
        FunctionApp functionApp,
        string folder,
        CapturedLogs? logs = null,
        IDictionary<string, string?>? settings = null,
        string? hostJson = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = connectionString,
            ["PORT"] = "0",
            ["PLANT_ENVIRONMENT"] = "uat",
            ["PLANT_RETENTION_DAYS"] = "30",
            ["PLANT_MASTER_KEY"] = MasterKey,
            ["PLANT_FUNCTION_KEYS"] = FunctionKey,
            ["PLANT_TIMERS_IN_PROCESS"] = "false",
            ["PLANT_LOCAL_DIR"] = Path.Combine(folder, ".plant"),
            ["PLANT_LOG_FORMAT"] = "text",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var hostJsonPath = Path.Combine(folder, "host.json");
        File.WriteAllText(hostJsonPath, hostJson ?? """{ "version": "2.0", "extensions": { "http": { "routePrefix": "api" } } }""");
        return FunctionHost.Build(new FunctionHostOptions
        {
            Apps = [functionApp],
            Settings = all,
            HostJsonPath = hostJsonPath,
            ContentRoot = folder,
            ConfigureLogging = logging =>
            {
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }
            },
        });
    }

    /// <summary>A request carrying a key in the x-functions-key header.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key = FunctionKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return request;
    }

    /// <summary>Stops like SIGTERM does: in-flight requests drain first.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>Every log line the host writes, formatted, with its level and category.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => [.. _lines];

    public string All => string.Join('\n', _lines.Select(l => $"{l.Level} {l.Category}: {l.Message}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}
