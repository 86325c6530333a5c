using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Audit;
using Plant.Core.Canonical;
using Plant.Core.Data;
using Plant.Core.Migrations;
using Plant.Core.Signing;
using Plant.Testing;

namespace Plant.Genesis.Bench;

/// <summary>
/// Audit appends with 16 concurrent writers by default (target: 2,000/s or more) and verification of a long chain (target:
/// 1,000,000 entries in 3 s or less), against a throwaway PostgreSQL 15 started by Plant.Testing (or the server
/// in PLANT_TEST_DATABASE_URL).
/// </summary>
internal static class AuditBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var appends = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 32_000;
        var entries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var writers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        var server = await PostgresServer.SharedAsync();
        using var keys = SigningKeyRing.Create("bench", RSA.Create(2048));

        var appendDatabase = await server.CreateDatabaseAsync("bench_audit_append");
        await using (var dataSource = PlantDataSource.Create(new NpgsqlConnectionStringBuilder(appendDatabase)))
        {
            await TestPipeline.Create(dataSource).UpAsync();
            var trail = new AuditTrail(dataSource, keys, NullLogger<AuditTrail>.Instance);
            await AppendAsync(trail, dataSource, writers * 50, writers, ownTransaction: true); // warm-up: JIT, pool, plans
            for (var round = 1; round <= 3; round++)
            {
                foreach (var ownTransaction in new[] { true, false })
                {
                    var cpu = ProcessCpu.Now(Database(appendDatabase));
                    var elapsed = await AppendAsync(trail, dataSource, appends, writers, ownTransaction);
                    var used = ProcessCpu.Now(Database(appendDatabase));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"append round {round} {(ownTransaction ? "own transaction   " : "caller transaction")}: {appends} entries, {writers} writers, {elapsed.TotalSeconds:0.00} s, {appends / elapsed.TotalSeconds:0} appends/s; CPU per append: client {(used.Client - cpu.Client).TotalMicroseconds / appends:0} µs, server {(used.Server - cpu.Server).TotalMicroseconds / appends:0} µs"));
                }
            }

            var verification = await trail.VerifyAsync(CancellationToken.None);
            Console.WriteLine($"after the appends: intact {verification.Intact}, {verification.Entries} entries");
            if (!verification.Intact)
            {
                return 1;
            }
        }

        await server.DropDatabaseAsync(appendDatabase);
        if (entries == 0)
        {
            return 0;
        }

        var verifyDatabase = await server.CreateDatabaseAsync("bench_audit_verify");
        await using (var dataSource = PlantDataSource.Create(new NpgsqlConnectionStringBuilder(verifyDatabase)))
        {
            await TestPipeline.Create(dataSource).UpAsync();
            var load = Stopwatch.StartNew();
            await LoadChainAsync(dataSource, entries);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {entries} entries by COPY in {load.Elapsed.TotalSeconds:0.0} s (not part of the figure)"));
            var trail = new AuditTrail(dataSource, keys, NullLogger<AuditTrail>.Instance);
            var times = new List<double>();
            for (var round = 0; round <= 5; round++)
            {
                var cpu = ProcessCpu.Now(Database(verifyDatabase));
                var clock = Stopwatch.StartNew();
                var verification = await trail.VerifyAsync(CancellationToken.None);
                var seconds = clock.Elapsed.TotalSeconds;
                var used = ProcessCpu.Now(Database(verifyDatabase));
                if (!verification.Intact || verification.Entries != entries)
                {
                    Console.WriteLine($"verification failed: {verification.Problem}");
                    return 1;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify round {round}{(round == 0 ? " (warm-up)" : "")}: {entries} entries in {seconds:0.000} s; CPU: client {(used.Client - cpu.Client).TotalSeconds:0.000} s, server {(used.Server - cpu.Server).TotalSeconds:0.000} s"));
                if (round > 0)
                {
                    times.Add(seconds);
                }
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verify: median {times[times.Count / 2]:0.000} s, min {times[0]:0.000} s, max {times[^1]:0.000} s (target 3 s)"));
        }

        await server.DropDatabaseAsync(verifyDatabase);
        return 0;
    }

    private static string Database(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    private static async Task<TimeSpan> AppendAsync(AuditTrail trail, NpgsqlDataSource dataSource, int total, int writers, bool ownTransaction)
    {
        using var start = new ManualResetEventSlim();
        var details = System.Text.Json.JsonSerializer.SerializeToElement(new { entityType = "agent", version = 3, contentHash = new string('c', 64) });
        var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            start.Wait();
            for (var i = writer; i < total; i += writers)
            {
                var record = new AuditRecord($"function-{writer}", "entity.certified", Guid.NewGuid(), details);
                if (ownTransaction)
                {
                    await trail.AppendAsync(record, CancellationToken.None);
                    continue;
                }

                // As Genesis writes: the entity's rows, then the audit entry, then commit.
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using (var write = new NpgsqlCommand("select 1", connection, transaction))
                {
                    await write.ExecuteScalarAsync();
                }

                await trail.AppendAsync(record, transaction, CancellationToken.None);
                await transaction.CommitAsync();
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        start.Set();
        await Task.WhenAll(tasks);
        return clock.Elapsed;
    }

    /// <summary>
    /// Writes a valid chain of <paramref name="count"/> entries shaped like AuditTrail's (about 300 bytes of
    /// canonical JSON each) straight into the table by binary COPY: appending a million one by one takes minutes.
    /// </summary>
    private static async Task LoadChainAsync(NpgsqlDataSource dataSource, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var previous = new byte[32];
        var occurredAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var importer = await connection.BeginBinaryImportAsync("copy genesis.audit_entry (canonical, prev_hash, hash) from stdin (format binary)"))
        {
            using var writer = new CanonicalJsonWriter(512);
            for (long sequence = 1; sequence <= count; sequence++)
            {
                writer.Reset();
                writer.WriteStartObject();
                writer.WriteString("action", "entity.certified");
                writer.WriteString("actor", "function-1");
                writer.WriteStartObject("details");
                writer.WriteString("certificateId", Guid.NewGuid().ToString());
                writer.WriteString("contentHash", Convert.ToHexStringLower(previous));
                writer.WriteString("entityType", "agent");
                writer.WriteNumber("version", 3);
                writer.WriteEndObject();
                writer.WriteString("entityId", Guid.NewGuid().ToString());
                writer.WriteString("occurredAt", occurredAt.AddMilliseconds(sequence).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                writer.WriteNumber("sequence", sequence);
                writer.WriteEndObject();
                var canonical = writer.ToArray();
                var hash = SHA256.HashData([.. previous, .. canonical]);
                await importer.StartRowAsync();
                await importer.WriteAsync(canonical, NpgsqlDbType.Bytea);
                await importer.WriteAsync(previous, NpgsqlDbType.Bytea);
                await importer.WriteAsync(hash, NpgsqlDbType.Bytea);
                previous = hash;
            }

            await importer.CompleteAsync();
        }

        await using var head = new NpgsqlCommand("update genesis.audit_head set sequence = @sequence, hash = @hash", connection);
        head.Parameters.AddWithValue("sequence", (long)count);
        head.Parameters.AddWithValue("hash", previous);
        await head.ExecuteNonQueryAsync();
        // As a table that has lived a while: hint bits set and the visibility map current.
        await using var vacuum = new NpgsqlCommand("vacuum (freeze, analyze) genesis.audit_entry", connection);
        await vacuum.ExecuteNonQueryAsync();
    }
}
