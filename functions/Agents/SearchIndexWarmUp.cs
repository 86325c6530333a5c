using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Agents.Search;
using Plant.Core.Embeddings;

namespace Plant.Agents;

/// <summary>
/// Starts loading the embedding model (<see cref="IEmbedder.Preload"/>), and loads the search index in the background when the process starts, so that the first search does not pay for
/// reading every agent's profile vector (seconds at 10,000 agents under load). Start-up and readiness do not wait
/// for it; a search that arrives meanwhile waits for the load in progress and uses it. If the database cannot be
/// read yet (unreachable, not migrated), the load is logged as skipped and the first search loads the index, as
/// it would without this service. It tries once: the index is then kept current by the searches themselves.
/// </summary>
public sealed class SearchIndexWarmUp(AgentSearch search, IEmbedder embedder, ILogger<SearchIndexWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path from here on, whatever the host does with the synchronous part.
        await Task.Yield();
        embedder.Preload();
        var clock = Stopwatch.StartNew();
        try
        {
            var index = await search.LoadIndexAsync(stoppingToken);
            logger.LogInformation(
                "Search index loaded at start-up: {Agents} agents at catalog version {CatalogVersion} in {ElapsedMilliseconds} ms",
                index.Agents, index.CatalogVersion, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the load finished: nothing to report.
        }
        catch (Exception e)
        {
            // Any failure: this is an optimisation, and an exception escaping a hosted service would stop the host.
            logger.LogWarning(
                "Search index not loaded at start-up after {ElapsedMilliseconds} ms ({Problem}); the first search will load it",
                clock.ElapsedMilliseconds, Describe(e));
        }
    }

    /// <summary>One line: PostgreSQL's own message spans several (its position, a hint).</summary>
    private static string Describe(Exception e) =>
        e is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : e.Message.ReplaceLineEndings(" ");
}
