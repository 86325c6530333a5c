using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Plant.Agents;
using Plant.Core.Audit;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Retention;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Testing;
using Plant.Testing.Hosting;

// The retention purge's target: 1,000,000 expired trials purged in 60 s or less, while GET /api/v1/agents
// keeps its p99 within 2x of its p99 with no purge running.
//
//   1. A throwaway PostgreSQL (or PLANT_TEST_DATABASE_URL's server), a database at the latest version with the
//      Genesis baseline, N expired trials and N/100 live ones written as the Agents app writes them (not timed).
//   2. The Agents app in-process on 127.0.0.1; CLIENTS closed-loop clients GET /api/v1/agents?limit=20 with PAUSE ms
//      between requests (a steady portal load, not a saturating one), for BASELINE seconds with nothing else
//      running: the baseline p99.
//   3. The same clients while RetentionPurge.RunAsync removes the expired trials (batches adapted to 200 ms,
//      foreign key checks as the guard decides unless --checked), then VACUUM (ANALYZE): p99 during the purge.
//
// Usage: dotnet run -c Release --project bench/Plant.Retention.Bench -- [--trials N] [--clients C] [--pause MS] [--baseline S] [--checked]
var trials = Option("--trials", 1_000_000);
var clients = Option("--clients", 1);
var pause = TimeSpan.FromMilliseconds(Option("--pause", 50));
var baselineSeconds = Option("--baseline", 30);
var checkedDeletes = args.Contains("--checked");
var cutoff = DateTimeOffset.UtcNow.AddDays(-30);

var server = await PostgresServer.SharedAsync();
var connectionString = await server.CreateDatabaseAsync("bench_retention");
try
{
    // As the Migrate app builds it (JIT off), with no command timeout for the set-up's long statements.
    await using var dataSource = PlantDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 });
    var setup = Stopwatch.StartNew();
    await TestPipeline.Create(dataSource).UpAsync();
    await new CatalogSeeder(dataSource, new FeatureHashingEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), TestSigningKeys.Ring()).SeedAsync();
    await LoadTrialsAsync(dataSource, trials, cutoff);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setup: {trials:N0} expired trials, {trials / 100:N0} live, in {setup.Elapsed.TotalSeconds:0} s; {clients} client(s), {pause.TotalMilliseconds:0} ms pause"));

    await using var host = await TestHost.StartAsync(connectionString, AgentsApp.Definition, new Dictionary<string, string?> { ["PLANT_LOG_FORMAT"] = "json" });
    // Warm up the JIT, the pool and the plan cache.
    await MeasureAsync(host, clients, pause, TimeSpan.FromSeconds(5), null, Stopwatch.StartNew());
    var baseline = await MeasureAsync(host, clients, pause, TimeSpan.FromSeconds(baselineSeconds), null, Stopwatch.StartNew());
    Print("agents, no purge", baseline);

    using var rsa = RSA.Create(2048);
    using var keys = SigningKeyRing.Create("bench", rsa);
    var audit = new AuditTrail(dataSource, keys, NullLogger<AuditTrail>.Instance);
    var settings = PlantSettings.Defaults(PlantEnvironment.Local) with { Retention = RetentionSettings.Defaults(PlantEnvironment.Local) with { TimeBudget = TimeSpan.FromHours(1) } };
    var purge = new RetentionPurge(dataSource, audit, settings, NullLogger<RetentionPurge>.Instance, null,
        new RetentionPurgeOptions { AllowSkippingForeignKeyChecks = !checkedDeletes });
    var purgeClock = Stopwatch.StartNew();
    var purgeTask = purge.RunAsync(new PurgeRequest { Actor = "bench", Cutoffs = new PurgeCutoffs(cutoff, null, null) }, default);
    var during = await MeasureAsync(host, clients, pause, null, purgeTask, purgeClock);
    var report = await purgeTask;
    Print("agents, during purge", during);
    // Which phase the slow requests fell in: the deletes (one busy backend) or the VACUUM (two).
    var vacuumFrom = purgeClock.Elapsed - report.VacuumDuration;
    Print("  of which deletes", Latencies.Of(during.Samples.Where(s => s.At < vacuumFrom), during.Errors));
    Print("  of which VACUUM", Latencies.Of(during.Samples.Where(s => s.At >= vacuumFrom), 0));

    var trialStep = report.Steps.Single(s => s.Name == "expired-trials");
    var deletes = report.Duration - report.VacuumDuration;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"purge: {report.Tables.GetValueOrDefault("catalog.trial"):N0} trial rows, {report.Tables.GetValueOrDefault("catalog.entity"):N0} entities, {report.Tables.GetValueOrDefault("catalog.entity_version"):N0} versions, {report.Tables.GetValueOrDefault("plant_agents.idempotency_key"):N0} keys in {trialStep.Batches} batches"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"purge: deletes {deletes.TotalSeconds:0.0} s + VACUUM (ANALYZE) {report.VacuumDuration.TotalSeconds:0.0} s = {report.Duration.TotalSeconds:0.0} s  (target 60 s: {(report.Duration.TotalSeconds <= 60 ? "OK" : deletes.TotalSeconds <= 60 ? "deletes OK, with VACUUM OVER" : "OVER")}); {report.ForeignKeyChecks}"));
    var ratio = during.P99 / baseline.P99;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p99 during / p99 without: {ratio:0.00}x  (target 2x: {(ratio <= 2 ? "OK" : "OVER")})"));
    var left = await ScalarAsync(dataSource, "select count(*) from catalog.trial t join catalog.entity_version v using (version_id) where v.is_current and t.ends_at < @cutoff", cutoff);
    var live = await ScalarAsync(dataSource, "select count(*) from catalog.trial where ends_at >= @cutoff", cutoff);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after: {left} expired trials left, {live:N0} live trials kept"));
}
finally
{
    await server.DropDatabaseAsync(connectionString);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

// Trials as TrialService writes them (entity, version 1, trial row; every fourth with an Idempotency-Key), in
// chunks so that no single statement holds the whole load; ends spread over the 30 days before the cutoff.
static async Task LoadTrialsAsync(NpgsqlDataSource dataSource, int expired, DateTimeOffset cutoff)
{
    const int Chunk = 100_000;
    var agents = await dataSource.CreateCommand("select array_agg(entity_id) from catalog.entity where entity_type = 'agent'").ExecuteScalarAsync();
    for (var start = 0; start < expired + expired / 100; start += Chunk)
    {
        var count = Math.Min(Chunk, expired + expired / 100 - start);
        await using var command = dataSource.CreateCommand("""
            with ids as (
                select gen_random_uuid() e, gen_random_uuid() v, i,
                       case when i < @expired then @cutoff - (i % 2592000) * interval '1 second' - interval '1 second'
                            else @cutoff + interval '10 days' end as ends
                from generate_series(@start, @start + @count - 1) i
            ), entities as (
                insert into catalog.entity (entity_id, entity_type, created_at, created_by) select e, 'trial', ends - interval '7 days', 'plant-agents' from ids
            ), keys as (
                insert into plant_agents.idempotency_key (idempotency_key, request_hash, trial_id, created_at)
                select 'bench-' || i, sha256(('bench-' || i)::bytea), e, ends - interval '7 days' from ids where i % 4 = 0
            ), versions as (
                insert into catalog.entity_version (version_id, entity_id, entity_type, name, status, activated_at, version, content_hash, created_at, created_by, updated_at, updated_by)
                select v, e, 'trial', 'trial ' || e, 'active', ends - interval '7 days', 1, repeat('a', 64), ends - interval '7 days', 'plant-agents', ends - interval '7 days', 'plant-agents' from ids
            )
            insert into catalog.trial (version_id, agent_id, customer_ref, starts_at, ends_at, trial_status)
            select v, (@agents::uuid[])[1 + i % cardinality(@agents::uuid[])], 'customer-' || (i % 5000), ends - interval '7 days', ends, 'active' from ids
            """);
        command.Parameters.AddWithValue("expired", expired);
        command.Parameters.AddWithValue("cutoff", cutoff);
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("count", count);
        command.Parameters.AddWithValue("agents", agents!);
        await command.ExecuteNonQueryAsync();
    }

    await dataSource.CreateCommand("vacuum (analyze)").ExecuteNonQueryAsync();
    await dataSource.CreateCommand("checkpoint").ExecuteNonQueryAsync();
}

static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, DateTimeOffset cutoff)
{
    await using var command = dataSource.CreateCommand(sql);
    command.Parameters.AddWithValue("cutoff", cutoff);
    return (long)(await command.ExecuteScalarAsync())!;
}

// Closed-loop clients with a pause between requests, for a fixed time or until the purge ends; each request's start
// is taken on the given clock.
static async Task<Latencies> MeasureAsync(TestHost host, int clients, TimeSpan pause, TimeSpan? duration, Task? until, Stopwatch since)
{
    var samples = new List<Sample>[clients];
    using var stop = duration is { } d ? new CancellationTokenSource(d) : new CancellationTokenSource();
    if (until is not null)
    {
        _ = until.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
    }

    var errors = 0;
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        var mine = samples[c] = [];
        while (!stop.IsCancellationRequested)
        {
            var at = since.Elapsed;
            var clock = Stopwatch.StartNew();
            using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/v1/agents?limit=20"));
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(new Sample(at, clock.Elapsed.TotalMilliseconds));
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }

            await Task.Delay(pause);
        }
    }));

    return Latencies.Of(samples.SelectMany(s => s), errors);
}

static void Print(string name, Latencies latencies) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{name,-22} n={latencies.Count,6}  p50 {latencies.P50,7:0.0} ms  p99 {latencies.P99,7:0.0} ms  max {latencies.Max,7:0.0} ms  errors {latencies.Errors}"));

internal sealed record Sample(TimeSpan At, double Milliseconds);

internal sealed record Latencies(IReadOnlyList<Sample> Samples, double P50, double P99, double Max, int Errors)
{
    public int Count => Samples.Count;

    public static Latencies Of(IEnumerable<Sample> samples, int errors)
    {
        var all = samples.ToArray();
        var sorted = all.Select(s => s.Milliseconds).Order().ToArray();
        return sorted.Length == 0
            ? new Latencies(all, 0, 0, 0, errors)
            : new Latencies(all, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted[^1], errors);
    }
}
