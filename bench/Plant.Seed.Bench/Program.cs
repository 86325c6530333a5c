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
// The embedder is the built-in feature-hashing one (the default); an HTTP embedder adds its round trip.
const int Rounds = 10;
var server = await PostgresServer.SharedAsync();
var settings = PlantSettings.Defaults(PlantEnvironment.Local);
var embedder = new FeatureHashingEmbedder();
// The seed certifies through Genesis and signs every certificate: RSA 2048, as locally.
using var keys = TestSigningKeys.Ring();

var fullSeed = new List<double>();
// This process's CPU time per full seed (C# side: validation, hashing, signing, Npgsql), which the load of other
// processes on a shared machine inflates far less than wall time; PostgreSQL's own CPU is not in it.
var fullSeedCpu = new List<double>();
using var process = Process.GetCurrentProcess();
for (var round = 0; round <= Rounds; round++)
{
    var connectionString = await server.CreateDatabaseAsync("bench_seed");
    await using (var dataSource = NpgsqlDataSource.Create(connectionString))
    {
        await TestPipeline.Create(dataSource).UpAsync();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await new CatalogSeeder(dataSource, embedder, settings, keys).SeedAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        if (result.Inserted.Total != 88)
        {
            throw new InvalidOperationException("expected the whole baseline to be inserted");
        }

        if (round > 0)
        {
            fullSeed.Add(elapsed); // round 0 warms up the JIT
            fullSeedCpu.Add(cpu);
        }
    }

    await server.DropDatabaseAsync(connectionString);
}

var reseed = new List<double>();
var seeded = await server.CreateDatabaseAsync("bench_seed");
await using (var dataSource = NpgsqlDataSource.Create(seeded))
{
    await TestPipeline.Create(dataSource).UpAsync();
    var seeder = new CatalogSeeder(dataSource, embedder, settings, keys);
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
Report("seed CPU", fullSeedCpu, 2000);
Report("re-seed", reseed, 2000);

static void Report(string name, List<double> samples, double budgetMs)
{
    samples.Sort();
    var median = samples[samples.Count / 2];
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-10} n={samples.Count,3}  median {median,7:0.0} ms  min {samples[0],7:0.0} ms  max {samples[^1],7:0.0} ms  budget {budgetMs} ms  {(samples[^1] <= budgetMs ? "OK" : median <= budgetMs ? "median OK" : "OVER")}"));
}
