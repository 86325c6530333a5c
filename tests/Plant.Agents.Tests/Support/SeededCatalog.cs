using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Plant.Agents;
using Plant.Core.Seed;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests.Support;

/// <summary>
/// A database of its own, migrated to the latest version and seeded with the Genesis baseline (88 entities, 50
/// agents), and the Agents app serving it through the real function host. Shared by the tests of a class or
/// collection; tests that write make rows of their own (<see cref="CatalogRows"/>).
/// </summary>
public class SeededCatalog : PostgresDatabaseFixture
{
    public SeededCatalog()
        : base("agents")
    {
    }

    public TestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    /// <summary>Settings for the host on top of the test host's defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestCatalog.MigrateAndSeedAsync(DataSource);
        Host = await TestHost.StartAsync(ConnectionString, AgentsApp.Definition, Settings);
        // The index loads in the background at start-up and stores profile vectors: let it finish, so that tests
        // comparing the database before and after a request do not see it write.
        await WarmUpAsync(Host);
    }

    /// <summary>The host's search index warm-up, once it has run.</summary>
    public static async Task<SearchIndexWarmUp> WarmUpAsync(TestHost host)
    {
        var warmUp = host.Services.GetServices<IHostedService>().OfType<SearchIndexWarmUp>().Single();
        await warmUp.ExecuteTask!;
        return warmUp;
    }

    public override async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>GET with the function key; asserts 200 and returns the JSON body.</summary>
    public Task<JsonElement> GetJsonAsync(string path) => GetJsonAsync(Host, path);

    /// <summary>GET with the function key on <paramref name="host"/>; asserts 200 and returns the JSON body.</summary>
    public static async Task<JsonElement> GetJsonAsync(TestHost host, string path)
    {
        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A request with the function key and, optionally, a JSON body and headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        var request = TestHost.Request(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request);
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

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A digest of every table the Agents app could write (catalog, trials, idempotency keys, cursor key, stored
    /// profile vectors, the change marker), to show that a rejected request changed nothing.
    /// </summary>
    public Task<string> DigestAsync() => ScalarAsync<string>("""
        select md5(string_agg(t, '|' order by t)) from (
            select 'entity:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as t from catalog.entity x
            union all select 'version:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from catalog.entity_version x
            union all select 'trial:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from catalog.trial x
            union all select 'keys:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from plant_agents.idempotency_key x
            union all select 'cursor:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from plant_agents.cursor_key x
            union all select 'profiles:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from catalog.agent_profile_embedding x
            union all select 'marker:' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from catalog.change_marker x
        ) d
        """);
}

/// <summary>The seeded catalog shared by the classes of the read-only collection: they never write.</summary>
[CollectionDefinition(Name)]
public sealed class ReadOnlyCatalog : ICollectionFixture<SeededCatalog>
{
    public const string Name = "seeded catalog, read only";
}

/// <summary>Ids of seeded entities, by name.</summary>
public static class Seeded
{
    public static Guid Agent(string name) => SeedIds.Entity("agent", name);

    public static Guid Skill(string name) => SeedIds.Entity("skill", name);

    public static Guid JobRole(string name) => SeedIds.Entity("job_role", name);

    public static Guid Industry(string name) => SeedIds.Entity("industry", name);

    public static Guid Team(string name) => SeedIds.Entity("team", name);

    /// <summary>The seeded agents with their resolved industry and skills, as the baseline defines them.</summary>
    public static IReadOnlyList<(string Name, string JobRole, string Industry, string? Team, decimal Price, IReadOnlyList<string> Skills)> Agents { get; } =
    [
        .. GenesisBaseline.Agents.Select(a =>
        {
            var role = GenesisBaseline.JobRoles.Single(r => r.Name == a.JobRole);
            return (a.Name, a.JobRole, role.Industry, a.Team, a.PricePerHour, (IReadOnlyList<string>)[.. role.RequiredSkills.Concat(a.ExtraSkills).Distinct()]);
        }),
    ];
}

/// <summary>Reads the members of JSON answers.</summary>
public static class Json
{
    public static IReadOnlyList<JsonElement> Items(JsonElement body) => [.. body.GetProperty("items").EnumerateArray()];

    public static IReadOnlyList<string> Names(JsonElement body) => [.. Items(body).Select(i => i.GetProperty("name").GetString()!)];

    public static string? NextCursor(JsonElement body) =>
        body.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : body.GetProperty("nextCursor").GetString();
}
