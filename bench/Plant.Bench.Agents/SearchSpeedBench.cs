using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Paging;
using Plant.Core.Seed;

namespace Plant.Bench.Agents;

/// <summary>
/// MiniLM search over every agent of the database (10,050 after <c>prepare 10000</c>), in process:
/// <list type="number">
/// <item>re-embedding: the vectors of this embedder are deleted and the index loaded, which embeds and stores every
/// profile; meanwhile two clients read agent lists, and the same reads run before it for the comparison;</item>
/// <item>speed: 4 concurrent clients, each query embedded then ranked, on the exact (array) path and the pgvector
/// (HNSW) path in alternating rounds;</item>
/// <item>HNSW recall@10: the pgvector path's top ten against the exact top ten, over the same queries.</item>
/// </list>
/// </summary>
internal static class SearchSpeedBench
{
    private const int Clients = 4;

    public static async Task RunAsync(string url, int queriesPerRound, int rounds)
    {
        await using var dataSource = PlantDataSource.Create(DatabaseUrl.Parse(url));
        var agents = await SearchBench.CountAgentsAsync(dataSource);
        Console.WriteLine($"agents: {agents}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var embedder = new MiniLmEmbedder();
        await embedder.EmbedAsync(["load the model"], CancellationToken.None);
        var queries = await QueriesAsync();

        var lists = new AgentQueries(dataSource, new PageCursors(dataSource));
        var search = new AgentSearch(dataSource, embedder, MiniLmEmbedder.Identity, lists);
        if (Environment.GetEnvironmentVariable("SKIP_REEMBED") == "1")
        {
            await search.LoadIndexAsync(CancellationToken.None);
        }
        else
        {
            await ReembedAsync(dataSource, search, lists, agents);
        }

        // 2. Speed at 4 clients, the two paths in alternating rounds.
        var samples = new Dictionary<SearchPath, List<double>> { [SearchPath.Array] = [], [SearchPath.Pgvector] = [] };
        await SearchAsync(search, queries, SearchPath.Array, 50);
        await SearchAsync(search, queries, SearchPath.Pgvector, 50);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var path in new[] { SearchPath.Array, SearchPath.Pgvector })
            {
                samples[path].AddRange(await SearchAsync(search, queries, path, queriesPerRound));
            }
        }

        foreach (var (path, times) in samples)
        {
            Console.WriteLine($"search ({Clients} clients, embed + rank + profiles), {path,-8}: {SearchBench.Stats(times)}");
        }

        // 3. HNSW recall@10 against the exact ranking.
        double recall = 0;
        foreach (var query in queries)
        {
            var (exact, _) = await search.RankAsync(query, 10, new AgentFilter(), SearchPath.Array, CancellationToken.None);
            var (hnsw, _) = await search.RankAsync(query, 10, new AgentFilter(), SearchPath.Pgvector, CancellationToken.None);
            // A hit counts when its cosine is at least the exact tenth's: among equal scores any is as right as another
            // (the generated agents copy the seed's descriptions, so many profiles tie).
            recall += (double)hnsw.Count(r => r.Score >= exact[^1].Score - 1e-5) / exact.Count;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HNSW recall@10 against the exact scan: {recall / queries.Count:F3} over {queries.Count} queries"));
    }

    /// <summary>Deletes this embedder's vectors and loads the index, which embeds and stores every profile; two clients read lists before and during.</summary>
    private static async Task ReembedAsync(NpgsqlDataSource dataSource, AgentSearch search, AgentQueries lists, long agents)
    {
        await using (var delete = dataSource.CreateCommand("delete from catalog.agent_profile_embedding where embedder = @e"))
        {
            delete.Parameters.AddWithValue("e", MiniLmEmbedder.Identity);
            await delete.ExecuteNonQueryAsync();
        }

        var before = await ReadListsAsync(lists, TimeSpan.FromSeconds(15), stop: null);
        var clock = Stopwatch.StartNew();
        var load = search.LoadIndexAsync(CancellationToken.None);
        var during = await ReadListsAsync(lists, TimeSpan.FromMinutes(30), stop: load);
        await load;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"re-embedding {agents} profiles: {clock.Elapsed.TotalSeconds:F1} s, {agents / clock.Elapsed.TotalSeconds:F0} profiles/s"));
        Console.WriteLine($"list reads (2 clients) before: {SearchBench.Stats(before)}");
        Console.WriteLine($"list reads (2 clients) during: {SearchBench.Stats(during)}");
    }

    /// <summary>The relevance set's queries and the skills' names: what portal users type.</summary>
    private static async Task<List<string>> QueriesAsync() =>
        [.. (await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "relevance.tsv")))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')[0])
            .Concat(GenesisBaseline.Skills.Select(s => s.Name))];

    private static async Task<List<double>> SearchAsync(AgentSearch search, List<string> queries, SearchPath path, int count)
    {
        var times = new ConcurrentBag<double>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await search.SearchAsync(queries[i % queries.Count], 10, new AgentFilter(), CancellationToken.None, path);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return [.. times];
    }

    /// <summary>Two clients reading the first page of a filtered list until <paramref name="stop"/> ends (or the time is up).</summary>
    private static async Task<List<double>> ReadListsAsync(AgentQueries lists, TimeSpan limit, Task? stop)
    {
        var times = new ConcurrentBag<double>();
        var until = Stopwatch.StartNew();
        var filter = new AgentFilter { Industry = SeedIds.Entity("industry", "Healthcare") };
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (until.Elapsed < limit && stop is not { IsCompleted: true })
            {
                var start = Stopwatch.GetTimestamp();
                await lists.ListAsync(filter, AgentSort.Name, 20, null, CancellationToken.None);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return [.. times];
    }
}
