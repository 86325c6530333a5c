using System.Globalization;
using Plant.Bench.Agents;

// Usage (DATABASE_URL names the database; PLANT_DB_POOL_SIZE applies to both sides of "serve"):
//   Plant.Bench.Agents prepare EXTRA_AGENTS          migrate, seed, add EXTRA_AGENTS generated agents; prints ids to query
//   Plant.Bench.Agents serve BARE_PORT PLANT_PORT quiet|logs
//   Plant.Bench.Agents search ITERATIONS             time semantic search over every agent in the database
//   Plant.Bench.Agents relevance                     recall@5 and MRR of relevance.tsv, MiniLM and hashing (the seed only)
//   Plant.Bench.Agents search-speed QUERIES ROUNDS   MiniLM: re-embedding every profile, search at 4 clients on both
//                                                    paths (QUERIES per path per round), HNSW recall@10
//   Plant.Bench.Agents load URL SECONDS CONNECTIONS RATE   GET URL with the bench's function key, RATE requests/s in all
//                                                    (0: as fast as it answers); one line per response (Load.cs)
if (args is ["load", var target, var seconds, var connections, var rate])
{
    return await Load.RunAsync(new Uri(target), TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)),
        int.Parse(connections, CultureInfo.InvariantCulture), double.Parse(rate, CultureInfo.InvariantCulture));
}

var url = Environment.GetEnvironmentVariable("DATABASE_URL");
if (string.IsNullOrEmpty(url))
{
    await Console.Error.WriteLineAsync("DATABASE_URL is not set");
    return 2;
}

switch (args)
{
    case ["prepare", var extra] when int.TryParse(extra, CultureInfo.InvariantCulture, out var count):
        await Prepare.RunAsync(url, count);
        return 0;
    case ["serve", var bare, var plant, var mode] when int.TryParse(bare, CultureInfo.InvariantCulture, out var barePort)
        && int.TryParse(plant, CultureInfo.InvariantCulture, out var plantPort) && mode is "quiet" or "logs":
        return await Serve.RunAsync(url, barePort, plantPort, mode == "logs");
    case ["search", var iterations] when int.TryParse(iterations, CultureInfo.InvariantCulture, out var n):
        await SearchBench.RunAsync(url, n);
        return 0;
    case ["relevance"]:
        await RelevanceBench.RunAsync(url);
        return 0;
    case ["search-speed", var perRound, var roundCount] when int.TryParse(perRound, CultureInfo.InvariantCulture, out var q)
        && int.TryParse(roundCount, CultureInfo.InvariantCulture, out var r):
        await SearchSpeedBench.RunAsync(url, q, r);
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: Plant.Bench.Agents prepare EXTRA_AGENTS | serve BARE_PORT PLANT_PORT quiet|logs | search ITERATIONS | relevance | search-speed QUERIES ROUNDS | load URL SECONDS CONNECTIONS RATE");
        return 2;
}
