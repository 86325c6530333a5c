using System.Globalization;
using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Paging;

namespace Plant.Bench.Agents;

/// <summary>
/// Search quality over the seed: each query of relevance.tsv (written as a portal user would ask, most sharing no
/// word with the agent they mean) against the agents that should come first. Reports recall@5 (the share of a
/// query's expected agents, at most five, found in its top five, averaged over queries) and MRR (the mean of 1/rank
/// of the first expected agent in the top ten, 0 if none) for MiniLM and the hashing embedder side by side.
/// </summary>
internal static class RelevanceBench
{
    public static async Task RunAsync(string url)
    {
        var set = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "relevance.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (Query: p[0], Expected: p[1].Split('|')))
            .ToList();
        await using var dataSource = PlantDataSource.Create(DatabaseUrl.Parse(url));
        Console.WriteLine($"{set.Count} queries over {await SearchBench.CountAgentsAsync(dataSource)} agents");
        Console.WriteLine("embedder   recall@5  MRR    top-1");
        foreach (var (name, embedder, identity) in new (string, IEmbedder, string)[]
        {
            ("minilm", new MiniLmEmbedder(), MiniLmEmbedder.Identity),
            ("hashing", new FeatureHashingEmbedder(), EmbedderIdentity.Hashing),
        })
        {
            var search = new AgentSearch(dataSource, embedder, identity, new AgentQueries(dataSource, new PageCursors(dataSource)));
            double recall = 0, reciprocal = 0, first = 0;
            var misses = new List<string>();
            foreach (var (query, expected) in set)
            {
                var result = await search.SearchAsync(query, 10, new AgentFilter(), CancellationToken.None);
                var names = result.Hits.Select(h => h.Agent.Name).ToList();
                recall += (double)names.Take(5).Count(expected.Contains) / Math.Min(expected.Length, 5);
                var rank = names.FindIndex(n => expected.Contains(n));
                reciprocal += rank < 0 ? 0 : 1.0 / (rank + 1);
                first += rank == 0 ? 1 : 0;
                if (rank != 0)
                {
                    misses.Add($"  {name}: \"{query}\" -> {string.Join(", ", names.Take(3))} (expected {string.Join("|", expected)})");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-10} {recall / set.Count,8:F3}  {reciprocal / set.Count,5:F3}  {first / set.Count,5:F3}"));
            if (Environment.GetEnvironmentVariable("RELEVANCE_MISSES") == "1")
            {
                misses.ForEach(Console.WriteLine);
            }
        }
    }
}
