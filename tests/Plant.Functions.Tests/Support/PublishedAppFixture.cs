using System.Security.Cryptography;
using Plant.Testing;

namespace Plant.Functions.Tests.Support;

/// <summary>
/// A function app's Native AOT executable, published once for the run, a migrated and seeded database of its own,
/// and one instance started with a container's settings for the tests that only call it. Tests of start-up and
/// shutdown start their own.
/// </summary>
public abstract class PublishedAppFixture(string app) : IAsyncLifetime
{
    // Start-up takes well under a second here, but other builds may share this machine's two cores.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresDatabaseFixture _database = new();
    private string? _folder;
    private AppProcess? _running;

    /// <summary>Genesis, Agents or Migrate.</summary>
    public string App { get; } = app;

    /// <summary>The Cloud Run service, and the route segment of the app's health function.</summary>
    public string Service => App.ToLowerInvariant();

    public string HealthFunction => App + "Health";

    public string HealthRoute => $"api/v1/{Service}/health";

    /// <summary>Unique to the run and long, so that finding it in the output can only mean it leaked.</summary>
    public string MasterKey { get; } = "plant-functions-test-master-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The publish output, as the image's /app holds it.</summary>
    public string Folder => _folder ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>The instance started with the container's settings.</summary>
    public AppProcess Running => _running ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        // Publishing is the long part (when the cache does not hold this content yet); the database is made meanwhile.
        var published = PublishedApps.GetAsync(App);
        await _database.InitializeAsync();
        await TestCatalog.MigrateAndSeedAsync(_database.DataSource);
        _folder = await published;
        _running = await StartAsync();
    }

    /// <summary>What Cloud Run and the Dockerfile give the process (K_SERVICE, PORT), plus the deployment's settings.</summary>
    public Dictionary<string, string?> ContainerSettings(int port) => new()
    {
        ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["K_SERVICE"] = Service,
        ["PLANT_ENVIRONMENT"] = "uat",
        ["PLANT_RETENTION_DAYS"] = "30",
        ["PLANT_MASTER_KEY"] = MasterKey,
        // Genesis signs certificates and Migrate the seed and audit heads: outside local runs the key is a required secret.
        ["PLANT_SIGNING_KEY"] = TestSigningKeys.Pem,
        ["PLANT_SIGNING_KEY_ID"] = TestSigningKeys.KeyId,
        ["PLANT_SIGNING_KEY_BITS"] = "2048",
        ["DATABASE_URL"] = _database.ConnectionString,
        // Migrate backs up through Cloud SQL's API outside local runs; nothing here calls it (no migration runs).
        ["PLANT_CLOUDSQL_INSTANCE"] = "plant-test:europe-west1:plant",
        // The runtime-deps base image sets both; the Dockerfile clears the second.
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        ["ASPNETCORE_HTTP_PORTS"] = "",
    };

    /// <summary>Starts the executable with the container's settings (changed by <paramref name="change"/>) and waits until it listens.</summary>
    public async Task<AppProcess> StartAsync(Action<Dictionary<string, string?>>? change = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = StartWithoutWaiting(change);
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

    /// <summary>Starts the executable without waiting for it to listen (for start-up failures).</summary>
    public AppProcess StartWithoutWaiting(Action<Dictionary<string, string?>>? change = null)
    {
        var port = AppProcess.FreePort();
        var settings = ContainerSettings(port);
        change?.Invoke(settings);
        return AppProcess.Start(Folder, [Path.Combine(Folder, $"Plant.{App}")], settings, port);
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

public sealed class PublishedGenesisFixture() : PublishedAppFixture("Genesis");

public sealed class PublishedAgentsFixture() : PublishedAppFixture("Agents");

public sealed class PublishedMigrateFixture() : PublishedAppFixture("Migrate");
