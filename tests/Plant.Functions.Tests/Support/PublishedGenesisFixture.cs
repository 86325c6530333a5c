using System.Security.Cryptography;
using Plant.Testing;

namespace Plant.Functions.Tests.Support;

[CollectionDefinition(Name)]
public sealed class PublishedGenesisCollection : ICollectionFixture<PublishedGenesisFixture>
{
    public const string Name = "published Genesis";
}

/// <summary>
/// The Genesis app published once for the run, a database of its own, and one instance of the app started with a
/// container's settings for the tests that only call it. Tests of start-up and shutdown start their own.
/// </summary>
public sealed class PublishedGenesisFixture : IAsyncLifetime
{
    public const string App = "Genesis";
    public const string Service = "genesis";
    public const string Function = "GenesisHealth";

    // Start-up takes about a second here, but other builds may share this machine's two cores.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresDatabaseFixture _database = new();
    private string? _folder;
    private AppProcess? _running;

    /// <summary>Unique to the run and long, so that finding it in the output can only mean it leaked.</summary>
    public string MasterKey { get; } = "plant-functions-test-master-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The publish output, laid out as the image's /app.</summary>
    public string Folder => _folder ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>The instance started with the container's settings.</summary>
    public AppProcess Running => _running ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        // Publishing is the long part; the database starts meanwhile.
        var published = PublishedApps.GetAsync(App);
        await _database.InitializeAsync();
        _folder = await published;
        _running = await StartAsync();
    }

    /// <summary>What Cloud Run and the Dockerfile give the process (K_SERVICE, PORT), plus the deployment's settings.</summary>
    public Dictionary<string, string?> ContainerSettings(int port) => new()
    {
        ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["K_SERVICE"] = Service,
        ["FUNCTION_TARGET"] = Function,
        ["PLANT_ENVIRONMENT"] = "uat",
        ["PLANT_RETENTION_DAYS"] = "30",
        ["PLANT_MASTER_KEY"] = MasterKey,
        // Genesis signs certificates: outside local runs its key is a required secret.
        ["PLANT_SIGNING_KEY"] = TestSigningKeys.Pem,
        ["PLANT_SIGNING_KEY_ID"] = TestSigningKeys.KeyId,
        ["PLANT_SIGNING_KEY_BITS"] = "2048",
        ["DATABASE_URL"] = _database.ConnectionString,
        // The aspnet base image sets both; the Dockerfile clears the second.
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        ["ASPNETCORE_HTTP_PORTS"] = "",
    };

    /// <summary>
    /// Starts the app with the container's settings (changed by <paramref name="change"/>) and waits until it
    /// listens: as <c>dotnet Plant.Genesis.dll</c>, or through the Dockerfile's entrypoint.
    /// </summary>
    public async Task<AppProcess> StartAsync(Action<Dictionary<string, string?>>? change = null, bool viaEntrypoint = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = StartWithoutWaiting(change, viaEntrypoint);
            if (await app.WaitUntilListeningAsync(Client, StartTimeout))
            {
                return app;
            }

            await app.WaitForExitAsync(StartTimeout);
            var description = app.Describe();
            await app.DisposeAsync();
            // The free port is only free until the app binds it; someone else may have taken it meanwhile.
            if (attempt == 3 || !description.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The app exited during start-up.\n{description}");
            }
        }
    }

    /// <summary>Starts the app without waiting for it to listen (for start-up failures).</summary>
    public AppProcess StartWithoutWaiting(Action<Dictionary<string, string?>>? change = null, bool viaEntrypoint = false)
    {
        var port = AppProcess.FreePort();
        var settings = ContainerSettings(port);
        change?.Invoke(settings);
        string[] command = viaEntrypoint
            ? [Path.Combine(Folder, PublishedApps.EntrypointName)]
            : [PublishedApps.DotnetPath(), $"Plant.{App}.dll"];
        return AppProcess.Start(Folder, command, settings, port);
    }

    public async Task DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }

        Client.Dispose();
        await _database.DisposeAsync();
    }
}
