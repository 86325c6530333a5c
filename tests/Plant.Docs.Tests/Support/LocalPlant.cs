using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Plant.Agents;
using Plant.Genesis;
using Plant.Hosting;
using Plant.Migrate;
using Plant.Testing;

namespace Plant.Docs.Tests.Support;

[CollectionDefinition(Name)]
public sealed class LocalPlantCollection : ICollectionFixture<LocalPlant>
{
    public const string Name = "local Plant";
}

/// <summary>
/// Plant as <c>./plant start</c> runs it: all three apps in one host, a local run (keys generated into
/// <c>.plant/keys</c> of <see cref="Folder"/>, the reference page on), over a migrated and seeded database.
/// </summary>
public sealed class LocalPlant : PostgresDatabaseFixture
{
    public static readonly string[] Apps = ["Genesis", "Agents", "Migrate"];

    private WebApplication? _host;

    public LocalPlant()
        : base("docs")
    {
    }

    /// <summary>The folder the host was started for: its <c>.plant/keys</c> hold the local keys.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("plant-docs-").FullName;

    public WebApplication Host => _host ?? throw new InvalidOperationException("Not initialized.");

    public Uri Address => FunctionHost.GetAddress(Host);

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string FunctionKey => File.ReadAllText(Path.Combine(Folder, ".plant", "keys", "function.key")).Trim();

    public string MasterKey => File.ReadAllText(Path.Combine(Folder, ".plant", "keys", "master.key")).Trim();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestCatalog.MigrateAndSeedAsync(DataSource);
        _host = FunctionHost.Build(new FunctionHostOptions
        {
            Apps = [GenesisApp.Definition, AgentsApp.Definition, MigrateApp.Definition],
            ContentRoot = Folder,
            Settings = new Dictionary<string, string?>
            {
                ["DATABASE_URL"] = ConnectionString,
                ["PORT"] = "0",
                ["PLANT_ENVIRONMENT"] = "local",
                ["PLANT_LOCAL_DIR"] = Path.Combine(Folder, ".plant"),
                ["PLANT_LOG_FORMAT"] = "text",
                // The seed is signed with the tests' key; the hashing embedder is what the seed's vectors were made with.
                ["PLANT_SIGNING_KEY"] = TestSigningKeys.Pem,
                ["PLANT_SIGNING_KEY_ID"] = TestSigningKeys.KeyId,
                ["PLANT_EMBEDDER"] = "hashing",
                ["PLANT_TIMERS_IN_PROCESS"] = "false",
            },
        });
        await _host.StartAsync();
        Client.BaseAddress = Address;
    }

    public override async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Client.Dispose();
        await base.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>An app's OpenAPI document as the host serves it.</summary>
    public async Task<JsonObject> DocumentAsync(string app) =>
        JsonNode.Parse(await Client.GetStringAsync($"/openapi/{app.ToLowerInvariant()}.json"))!.AsObject();
}
