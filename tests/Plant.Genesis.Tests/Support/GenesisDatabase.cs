using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Genesis;
using Plant.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests.Support;

/// <summary>
/// One database, migrated and seeded through Genesis, and one Genesis host on it, shared by every test class of the
/// <see cref="GenesisCollection"/>. Tests only change entities they create themselves (unique names from
/// <see cref="Names"/>), so they do not depend on one another; the seeded baseline is only read.
/// </summary>
public sealed class GenesisDatabase : PostgresDatabaseFixture
{
    public GenesisDatabase()
        : base("genesis")
    {
    }

    public TestHost Host { get; private set; } = null!;

    /// <summary>The key ring the host signs with (the same key as <see cref="TestSigningKeys.Settings"/>).</summary>
    public SigningKeyRing Keys { get; } = TestSigningKeys.Ring();

    public HttpClient Client => Host.Client;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestPipeline.Create(DataSource).UpAsync();
        await new CatalogSeeder(DataSource, new FeatureHashingEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), Keys).SeedAsync();
        // The function key stands for a portal backend, which names the user it acts for; the master key does not.
        var settings = TestSigningKeys.Settings.ToDictionary(p => p.Key, p => (string?)p.Value);
        settings[Actors.AssertersSetting] = "key:function-1";
        Host = await TestHost.StartAsync(ConnectionString, GenesisApp.Definition, settings);
    }

    public override async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Keys.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Sends <paramref name="method"/> to <paramref name="path"/> with a key (the function key by default), a JSON body and headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? key = TestHost.FunctionKey, params (string Name, string Value)[] headers)
    {
        var request = TestHost.Request(method, path, key);
        if (body is not null)
        {
            request.Content = body is string text
                ? new StringContent(text, System.Text.Encoding.UTF8, "application/json")
                : TestJson.Content(body);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, string? key = TestHost.FunctionKey, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Post, path, body, key, headers);

    public Task<HttpResponseMessage> GetAsync(string path, string? key = TestHost.FunctionKey) => SendAsync(HttpMethod.Get, path, null, key);

    /// <summary>Runs SQL as the superuser the tests connect as.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}

[CollectionDefinition(Name)]
public sealed class GenesisCollection : ICollectionFixture<GenesisDatabase>
{
    public const string Name = "genesis";
}
