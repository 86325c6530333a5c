using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Agents.Tests.Support;
using Plant.Core.Agents.Search;
using Plant.Core.Embeddings;
using Plant.Core.Seed;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// The search index is loaded in the background when the Agents app starts, not by the first search; a database
/// that cannot be read yet neither stops start-up nor the first search, which then loads the index. A database of
/// its own (its host has served no request when the tests look).
/// </summary>
public sealed class SearchWarmUpTests(SeededCatalog catalog) : IClassFixture<SeededCatalog>
{
    [Fact]
    public async Task The_index_is_loaded_at_start_up_without_any_search()
    {
        // The fixture waited for the warm-up (SeededCatalog.WarmUpAsync); no request has been made.
        var index = catalog.Host.Services.GetRequiredService<AgentSearch>().IndexState;

        var agents = await catalog.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_type = 'agent' and is_current");
        var marker = await catalog.ScalarAsync<long>("select version from catalog.change_marker");
        Assert.Equal((true, agents, marker), (index.Loaded, (long)index.Agents, index.CatalogVersion));
        Assert.Equal(agents, await catalog.ScalarAsync<long>("select count(*) from catalog.agent_profile_embedding"));
        var line = Assert.Single(catalog.Host.Logs.Lines, l => l.Category == typeof(SearchIndexWarmUp).FullName);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Matches($@"^Search index loaded at start-up: {agents} agents at catalog version {marker} in \d+ ms$", line.Message);
        Assert.DoesNotContain(catalog.Host.Logs.Lines, l => l.Message.Contains(nameof(Agents.SearchAgents), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_up_and_readiness_do_not_wait_for_the_load()
    {
        // The load's first read (the change marker) waits behind this lock until the transaction ends.
        await using var connection = await catalog.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockMarker = new NpgsqlCommand("lock table catalog.change_marker in access exclusive mode", connection, transaction))
        {
            await lockMarker.ExecuteNonQueryAsync();
        }

        await using var host = await TestHost.StartAsync(catalog.ConnectionString, AgentsApp.Definition);
        using (var ready = await host.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var warmUp = host.Services.GetServices<IHostedService>().OfType<SearchIndexWarmUp>().Single();
        Assert.False(warmUp.ExecuteTask!.IsCompleted);
        Assert.False(host.Services.GetRequiredService<AgentSearch>().IndexState.Loaded);

        await transaction.RollbackAsync();
        await warmUp.ExecuteTask;

        Assert.True(host.Services.GetRequiredService<AgentSearch>().IndexState.Loaded);
    }

    [Fact]
    public async Task A_database_not_migrated_at_start_up_leaves_the_index_to_the_first_search()
    {
        var database = new PostgresDatabaseFixture();
        await database.InitializeAsync();
        try
        {
            await using var host = await TestHost.StartAsync(database.ConnectionString, AgentsApp.Definition);
            await SeededCatalog.WarmUpAsync(host);

            AssertSkipped(host);
            using (var alive = await host.Client.GetAsync("/healthz"))
            {
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            }

            await TestCatalog.MigrateAndSeedAsync(database.DataSource);
            // The model loads in the background from start-up; until it is ready a search ranks with the hashing
            // embedder and leaves the model's index unloaded, which is not what this test is about.
            var embedder = host.Services.GetRequiredService<IEmbedder>();
            for (var waited = 0; embedder.Readiness.State == EmbedderState.Loading && waited < 600; waited++)
            {
                await Task.Delay(100);
            }

            using var search = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/v1/agents/search?q=chargeback%20disputes&k=1"));

            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            Assert.Contains("Chargeback Clara", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // The search started the index's first load. On a busy machine that load can outlast the moment a search
            // waits for it (the search then ranks with the hashing index), so wait for the load itself.
            var index = host.Services.GetRequiredService<AgentSearch>();
            for (var waited = 0; !index.IndexState.Loaded && waited < 600; waited++)
            {
                await Task.Delay(100);
            }

            Assert.True(index.IndexState.Loaded);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unreachable_database_at_start_up_does_not_stop_the_host()
    {
        // Nothing listens on port 1.
        await using var host = await TestHost.StartAsync("Host=127.0.0.1;Port=1;Database=plant;Username=plant;Password=unused", AgentsApp.Definition);
        await SeededCatalog.WarmUpAsync(host);

        AssertSkipped(host);
        using var alive = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private static void AssertSkipped(TestHost host)
    {
        Assert.False(host.Services.GetRequiredService<AgentSearch>().IndexState.Loaded);
        var line = Assert.Single(host.Logs.Lines, l => l.Category == typeof(SearchIndexWarmUp).FullName);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Matches(@"^Search index not loaded at start-up after \d+ ms \(.+\); the first search will load it$", line.Message);
        Assert.DoesNotContain("unused", line.Message, StringComparison.Ordinal);
    }
}
