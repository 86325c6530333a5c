using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Plant.Core.Migrations;
using Plant.Testing;

// Times the embedded migrations against a throwaway PostgreSQL (or PLANT_TEST_DATABASE_URL's server):
//   empty to latest: a fresh database each round, one Migrator.UpAsync (lock, create history, V0001..latest);
//   nothing pending: Migrator.UpAsync on an up-to-date database (connect from a warm pool, lock, read and
//   validate the history, release, write the log line).
// A plain Stopwatch loop rather than BenchmarkDotNet: each round needs a new database, and the figures to
// check (1 s, 50 ms) are far above timer resolution.
const int Rounds = 10;
var server = await PostgresServer.SharedAsync();

var emptyToLatest = new List<double>();
for (var round = 0; round <= Rounds; round++)
{
    var connectionString = await server.CreateDatabaseAsync("bench_mig");
    await using (var dataSource = NpgsqlDataSource.Create(connectionString))
    {
        var clock = Stopwatch.StartNew();
        await new Migrator(dataSource).UpAsync();
        if (round > 0)
        {
            emptyToLatest.Add(clock.Elapsed.TotalMilliseconds); // round 0 warms up the JIT
        }
    }

    await server.DropDatabaseAsync(connectionString);
}

var nothingPending = new List<double>();
var upToDate = await server.CreateDatabaseAsync("bench_mig");
await using (var dataSource = NpgsqlDataSource.Create(upToDate))
{
    var migrator = new Migrator(dataSource);
    await migrator.UpAsync();
    for (var round = 0; round <= Rounds * 5; round++)
    {
        var clock = Stopwatch.StartNew();
        var result = await migrator.UpAsync();
        if (result.Versions.Count != 0)
        {
            throw new InvalidOperationException("expected nothing pending");
        }

        if (round > 0)
        {
            nothingPending.Add(clock.Elapsed.TotalMilliseconds);
        }
    }
}

await server.DropDatabaseAsync(upToDate);
Report("empty to latest", emptyToLatest, 1000);
Report("nothing pending", nothingPending, 50);

static void Report(string name, List<double> samples, double budgetMs)
{
    samples.Sort();
    var median = samples[samples.Count / 2];
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-16} n={samples.Count,3}  median {median,7:0.0} ms  min {samples[0],7:0.0} ms  max {samples[^1],7:0.0} ms  budget {budgetMs} ms  {(samples[^1] <= budgetMs ? "OK" : median <= budgetMs ? "median OK" : "OVER")}"));
}
