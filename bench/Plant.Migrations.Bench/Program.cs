using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Core.Seed;
using Plant.Testing;

// Times the migration pipeline with the embedded migrations against a throwaway PostgreSQL (or
// PLANT_TEST_DATABASE_URL's server), as MigrateOnSchedule runs it, without a backup:
//   pipeline, empty to latest: lock, create the engine's tables, V0001..latest, smoke checks, run record, log;
//   pipeline, nothing pending: lock, validate, look for the plan, record a nothing-to-do run, log;
// and the pg_dump backup alone, of a migrated and seeded database (88 entities).
// A plain Stopwatch loop rather than BenchmarkDotNet: each round needs a new database, and the figures to
// check (1 s, 50 ms) are far above timer resolution.
const int Rounds = 10;
var server = await PostgresServer.SharedAsync();

var settings = PlantSettings.Defaults(PlantEnvironment.Local);
var scheduled = new MigrationRunRequest { Operation = MigrationOperation.Up, Trigger = MigrationTrigger.Schedule, RequestedBy = "bench" };
var pipelineEmptyToLatest = new List<double>();
for (var round = 0; round <= Rounds; round++)
{
    var connectionString = await server.CreateDatabaseAsync("bench_pipe");
    await using (var dataSource = NpgsqlDataSource.Create(connectionString))
    {
        var clock = Stopwatch.StartNew();
        var report = await new MigrationPipeline(dataSource, MigrationSet.Embedded, settings, backup: null).RunAsync(scheduled);
        Expect(report, MigrationRunOutcome.Succeeded);
        if (round > 0)
        {
            pipelineEmptyToLatest.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    await server.DropDatabaseAsync(connectionString);
}

var pipelineNothingPending = new List<double>();
var backups = new List<double>();
var seeded = await server.CreateDatabaseAsync("bench_pipe");
var folder = Directory.CreateTempSubdirectory("plant-bench-backups-").FullName;
await using (var dataSource = NpgsqlDataSource.Create(seeded))
{
    var pipeline = new MigrationPipeline(dataSource, MigrationSet.Embedded, settings, backup: null);
    Expect(await pipeline.RunAsync(scheduled), MigrationRunOutcome.Succeeded);
    await new CatalogSeeder(dataSource, new FeatureHashingEmbedder(), settings, TestSigningKeys.Ring()).SeedAsync();
    for (var round = 0; round <= Rounds * 5; round++)
    {
        var clock = Stopwatch.StartNew();
        Expect(await pipeline.RunAsync(scheduled), MigrationRunOutcome.NothingToDo);
        if (round > 0)
        {
            pipelineNothingPending.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    var backup = new PgDumpBackup(new NpgsqlConnectionStringBuilder(seeded), folder, keep: 2, TimeSpan.FromMinutes(5));
    for (var round = 0; round <= Rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        await backup.BackupAsync(new BackupRequest(Guid.NewGuid(), MigrationSet.Embedded.Latest, "bench"), CancellationToken.None);
        if (round > 0)
        {
            backups.Add(clock.Elapsed.TotalMilliseconds);
        }
    }
}

await server.DropDatabaseAsync(seeded);
Directory.Delete(folder, recursive: true);
Report("pipeline, empty to latest", pipelineEmptyToLatest, 1000);
Report("pipeline, nothing pending", pipelineNothingPending, 50);
Report("pg_dump backup, seeded", backups, double.NaN);

static void Expect(MigrationRunReport report, MigrationRunOutcome outcome)
{
    if (report.Outcome != outcome)
    {
        throw new InvalidOperationException($"expected {outcome}, got {report.Outcome}: {report.Message}");
    }
}

static void Report(string name, List<double> samples, double budgetMs)
{
    samples.Sort();
    var median = samples[samples.Count / 2];
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-26} n={samples.Count,3}  median {median,7:0.0} ms  min {samples[0],7:0.0} ms  max {samples[^1],7:0.0} ms  {(double.IsNaN(budgetMs) ? "no budget" : $"budget {budgetMs} ms  {(samples[^1] <= budgetMs ? "OK" : median <= budgetMs ? "median OK" : "OVER")}")}"));
}
