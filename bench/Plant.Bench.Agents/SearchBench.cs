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
/// Semantic search over every agent of the database (10,050 after <c>prepare 10000</c>), on the array path:
/// the first search of a process that must embed every profile, the first of a process that finds them stored, and
/// steady-state searches (ranking alone, and whole searches with the hits' profiles), with and without filters.
/// Cosine computed in SQL over real[] is timed too, for the comparison the issue quotes.
/// </summary>
internal static class SearchBench
{
    public static async Task RunAsync(string url, int iterations)
    {
        await using var dataSource = PlantDataSource.Create(DatabaseUrl.Parse(url));
        var agents = await CountAgentsAsync(dataSource);
        Console.WriteLine($"agents: {agents}, iterations: {iterations}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");

        await Execute(dataSource, "truncate catalog.agent_profile_embedding");
        var clock = Stopwatch.StartNew();
        var search = NewSearch(dataSource);
        await search.RankAsync("warm up", 10, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        Console.WriteLine($"first search, nothing stored (embeds and stores every profile): {clock.Elapsed.TotalMilliseconds:F0} ms");

        clock.Restart();
        search = NewSearch(dataSource);
        await search.RankAsync("warm up", 10, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        Console.WriteLine($"first search of a new process, profiles stored: {clock.Elapsed.TotalMilliseconds:F0} ms");

        var queries = GenesisBaseline.Skills.Select(s => s.Name)
            .Concat(["chargeback disputes", "inpatient coding and DRGs", "holiday stock planning", "sanctions screening", "abandoned cart emails"])
            .ToArray();
        var filters = new (string Name, AgentFilter Filter)[]
        {
            ("no filter", new AgentFilter()),
            ("industry", new AgentFilter { Industry = SeedIds.Entity("industry", "Healthcare") }),
            ("industry+skill", new AgentFilter { Industry = SeedIds.Entity("industry", "Healthcare"), Skills = [SeedIds.Entity("skill", "Medical Coding")] }),
        };

        for (var i = 0; i < 50; i++)
        {
            await search.SearchAsync(queries[i % queries.Length], 10, filters[i % filters.Length].Filter, CancellationToken.None);
        }

        foreach (var (name, filter) in filters)
        {
            var rank = new List<double>(iterations);
            var whole = new List<double>(iterations);
            for (var i = 0; i < iterations; i++)
            {
                var q = queries[i % queries.Length];
                var start = Stopwatch.GetTimestamp();
                await search.RankAsync(q, 10, filter, SearchPath.Array, CancellationToken.None);
                rank.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
                await search.SearchAsync(q, 10, filter, CancellationToken.None);
                whole.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            Console.WriteLine($"{name,-15} rank (marker check + embed + scan): {Stats(rank)}");
            Console.WriteLine($"{name,-15} search (rank + hits' profiles):     {Stats(whole)}");
        }

        // After a catalog change (one agent suspended and reactivated by "another process"): the next search refreshes.
        var refresh = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await Execute(dataSource, $"update catalog.entity_version set status = '{(i % 2 == 0 ? "suspended" : "active")}', suspended_at = coalesce(suspended_at, now()) where entity_id = '{SeedIds.Entity("agent", "Sentinel")}' and is_current");
            var start = Stopwatch.GetTimestamp();
            await search.RankAsync("chargeback disputes", 10, new AgentFilter(), SearchPath.Array, CancellationToken.None);
            refresh.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        await Execute(dataSource, $"update catalog.entity_version set status = 'active' where entity_id = '{SeedIds.Entity("agent", "Sentinel")}' and is_current");
        Console.WriteLine($"first search after a catalog change (incremental refresh): {Stats(refresh)}");

        var query = FeatureHashingEmbedder.Embed("chargeback disputes");
        for (var i = 0; i < 2; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using var command = dataSource.CreateCommand("""
                select agent_id from catalog.agent_profile_embedding e
                order by (select sum(x * y) from unnest(e.embedding, @q::real[]) t(x, y)) desc limit 10
                """);
            command.Parameters.AddWithValue("q", query);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }

            Console.WriteLine($"for comparison, cosine in SQL over real[] ({agents} rows): {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F0} ms");
        }
    }

    private static AgentSearch NewSearch(NpgsqlDataSource dataSource) =>
        new(dataSource, new FeatureHashingEmbedder(), EmbedderIdentity.Hashing, new AgentQueries(dataSource, new PageCursors(dataSource)));

    internal static string Stats(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5):F2} ms, p90 {At(0.9):F2} ms, p99 {At(0.99):F2} ms, max {sorted[^1]:F2} ms (n={sorted.Length})");
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The database's current agents.</summary>
    internal static Task<long> CountAgentsAsync(NpgsqlDataSource dataSource) =>
        ScalarAsync<long>(dataSource, "select count(*) from catalog.entity_version where entity_type = 'agent' and is_current");

    internal static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
