using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Testing;

// Times CatalogSeeder.SeedAsync against a throwaway PostgreSQL (or PLANT_TEST_DATABASE_URL's server):
//   full seed: a fresh database migrated to the latest each round (not timed), then one seed of the whole
//   baseline (lock, existence check, 19 embeddings, one batch of inserts, commit, log line);
//   re-seed: SeedAsync on a seeded database (lock, existence check, nothing to insert, log line).
// The embedder is a stand-in (word hashing, as cheap as the built-in feature-hashing embedder is expected to be);
// an HTTP embedder adds its round trip.
const int Rounds = 10;
var server = await PostgresServer.SharedAsync();
var settings = PlantSettings.Defaults(PlantEnvironment.Local);
var embedder = new WordHashEmbedder();

var fullSeed = new List<double>();
for (var round = 0; round <= Rounds; round++)
{
    var connectionString = await server.CreateDatabaseAsync("bench_seed");
    await using (var dataSource = NpgsqlDataSource.Create(connectionString))
    {
        await new Migrator(dataSource).UpAsync();
        var clock = Stopwatch.StartNew();
        var result = await new CatalogSeeder(dataSource, embedder, settings).SeedAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (result.Inserted.Total != 88)
        {
            throw new InvalidOperationException("expected the whole baseline to be inserted");
        }

        if (round > 0)
        {
            fullSeed.Add(elapsed); // round 0 warms up the JIT
        }
    }

    await server.DropDatabaseAsync(connectionString);
}

var reseed = new List<double>();
var seeded = await server.CreateDatabaseAsync("bench_seed");
await using (var dataSource = NpgsqlDataSource.Create(seeded))
{
    await new Migrator(dataSource).UpAsync();
    var seeder = new CatalogSeeder(dataSource, embedder, settings);
    await seeder.SeedAsync();
    for (var round = 0; round <= Rounds * 5; round++)
    {
        var clock = Stopwatch.StartNew();
        var result = await seeder.SeedAsync();
        if (result.Inserted.Total != 0)
        {
            throw new InvalidOperationException("expected nothing to insert");
        }

        if (round > 0)
        {
            reseed.Add(clock.Elapsed.TotalMilliseconds);
        }
    }
}

await server.DropDatabaseAsync(seeded);
Report("full seed", fullSeed, 2000);
Report("re-seed", reseed, 2000);

static void Report(string name, List<double> samples, double budgetMs)
{
    samples.Sort();
    var median = samples[samples.Count / 2];
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-10} n={samples.Count,3}  median {median,7:0.0} ms  min {samples[0],7:0.0} ms  max {samples[^1],7:0.0} ms  budget {budgetMs} ms  {(samples[^1] <= budgetMs ? "OK" : median <= budgetMs ? "median OK" : "OVER")}"));
}

/// <summary>A stand-in embedder: each word adds ±1 at a hashed position; L2-normalised.</summary>
internal sealed class WordHashEmbedder : IEmbedder
{
    public int Dimensions => 384;

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<float[]>>(texts.Select(Embed).ToList());

    private static float[] Embed(string text)
    {
        var vector = new float[384];
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = (uint)StringComparer.Ordinal.GetHashCode(word.ToUpperInvariant());
            vector[hash % 384] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }
}
