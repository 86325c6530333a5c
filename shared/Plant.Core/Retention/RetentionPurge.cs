using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Dapper;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Configuration;
using Plant.Core.Seed;

namespace Plant.Core.Retention;

/// <summary>
/// The retention purge (docs/RETENTION.md): removes trials that ended or were cancelled before the
/// cutoff, entity versions superseded before it that nothing keeps, the host's old timer runs and Cloud Scheduler
/// de-duplication records, migration records past their own retention, and cuts the audit chain's oldest entries at
/// a signed checkpoint. It never removes a current catalog entity, seed data, a certified version or a certificate,
/// or anything at or after its cutoff. Batched, resumable, bounded in time; the report goes to the log and the audit
/// trail. Register one per process.
/// </summary>
public sealed class RetentionPurge
{
    /// <summary>The session-level advisory lock of a run: the single-bigint key "plntprge".</summary>
    public const long LockKey = 0x706C6E74_70726765;

    /// <summary>The audit action of a run's report.</summary>
    public const string PurgedAction = "retention.purged";

    /// <summary>The audit action of a run that failed part-way; its details say what it had removed.</summary>
    public const string FailedAction = "retention.purge_failed";

    private readonly NpgsqlDataSource _dataSource;
    private readonly AuditTrail _audit;
    private readonly PlantSettings _settings;
    private readonly ILogger<RetentionPurge> _logger;
    private readonly TimeProvider _time;
    private readonly RetentionPurgeOptions _options;

    /// <param name="dataSource">The process's data source.</param>
    /// <param name="audit">Checkpoints and cuts the audit chain; records each run.</param>
    /// <param name="settings">Retention per environment (<see cref="PlantSettings.RetentionDays"/>, <see cref="PlantSettings.Retention"/>).</param>
    /// <param name="logger">Each run's report goes here.</param>
    /// <param name="time">The clock the cutoffs are taken from; the system clock when null.</param>
    public RetentionPurge(NpgsqlDataSource dataSource, AuditTrail audit, PlantSettings settings, ILogger<RetentionPurge> logger, TimeProvider? time = null)
        : this(dataSource, audit, settings, logger, time, new RetentionPurgeOptions())
    {
    }

    internal RetentionPurge(
        NpgsqlDataSource dataSource, AuditTrail audit, PlantSettings settings, ILogger<RetentionPurge> logger, TimeProvider? time, RetentionPurgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _audit = audit;
        _settings = settings;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _options = options;
    }

    /// <summary>
    /// Runs the purge (or counts, for a dry run) and returns its report, which is logged and, unless dry, appended to
    /// the audit trail. Database errors escape, so that a timer run is recorded as failed; what the run removed
    /// before the failure is logged and audited first.
    /// </summary>
    /// <exception cref="RetentionBusyException">Another run holds the purge lock.</exception>
    public async Task<PurgeReport> RunAsync(PurgeRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(this, request);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        if (!await TryLockAsync(connection, ct))
        {
            throw new RetentionBusyException();
        }

        try
        {
            var report = await run.ExecuteAsync(connection, ct);
            if (!request.DryRun)
            {
                var entry = await _audit.AppendAsync(new AuditRecord(request.Actor, PurgedAction, null, Details(report)), ct);
                report = report with { AuditEntry = entry };
            }

            Log(report);
            return report;
        }
        catch (Exception e) when (e is not RetentionBusyException)
        {
            await RecordFailureAsync(run, request, e);
            throw;
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    private static JsonElement Details(PurgeReport report) => JsonElement.Parse(report.ToJson().ToJsonString());

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        return await connection.ExecuteScalarAsync<bool>("select pg_try_advisory_lock(@key)", new { key = LockKey, ct });
    }

    private static async Task UnlockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState.HasFlag(System.Data.ConnectionState.Broken))
        {
            return; // the session is gone, and its lock with it
        }

        try
        {
            await connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key = LockKey });
        }
        catch (NpgsqlException)
        {
            // A broken session released the lock itself; the connection leaves the pool.
        }
    }

    private void Log(PurgeReport report)
    {
        var tables = string.Join(", ", report.Tables.Where(t => t.Value > 0).Select(t => $"{t.Key} {t.Value}"));
        // A run that left something behind (time budget, a lock, a chain that does not verify) is worth a look.
        _logger.Log(
            report.Completed ? LogLevel.Information : LogLevel.Warning,
            "Retention purge {RunId} by {Actor}{DryRun}: {Rows} rows{Tables} in {DurationMs} ms, {Outcome}; checkpoint {Checkpoint}; vacuumed {Vacuumed} in {VacuumMs} ms; {ForeignKeyChecks}; audit entry {AuditSequence}",
            report.RunId, report.Actor, report.DryRun ? " (dry run: nothing changed)" : "", report.TotalRows,
            tables.Length == 0 ? "" : $" ({tables})", (long)report.Duration.TotalMilliseconds,
            report.Completed ? "complete" : "incomplete: " + string.Join("; ", report.Steps.Where(s => s.Outcome is not (PurgeStepOutcome.Done or PurgeStepOutcome.Skipped)).Select(s => $"{s.Name} {PurgeReport.Name(s.Outcome)}: {s.Reason}")),
            report.Checkpoint is { } c ? $"{c.Sequence} {c.Hash} by key {c.KeyId}" : "none",
            report.Vacuumed.Count == 0 ? "nothing" : string.Join(", ", report.Vacuumed), (long)report.VacuumDuration.TotalMilliseconds,
            report.ForeignKeyChecks, report.AuditEntry?.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
    }

    private async Task RecordFailureAsync(Run run, PurgeRequest request, Exception error)
    {
        var partial = run.Snapshot();
        var reason = error is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : $"{error.GetType().Name}: {error.Message}";
        _logger.LogError(error, "Retention purge {RunId} failed after removing {Rows} rows ({Tables}): {Reason}",
            partial.RunId, partial.TotalRows, string.Join(", ", partial.Tables.Select(t => $"{t.Key} {t.Value}")), reason);
        if (request.DryRun || partial.TotalRows == 0)
        {
            return;
        }

        try
        {
            // What was committed stays committed: the trail says so even though the run failed.
            var details = partial.ToJson();
            details["error"] = reason;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _audit.AppendAsync(new AuditRecord(request.Actor, FailedAction, null, JsonElement.Parse(details.ToJsonString())), timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            _logger.LogError(e, "Retention purge {RunId}: its partial report could not be appended to the audit trail", partial.RunId);
        }
    }

    /// <summary>One run's state: its steps so far, so that a failure can still say what was removed.</summary>
    private sealed class Run(RetentionPurge purge, PurgeRequest request)
    {
        private readonly Guid _id = Guid.CreateVersion7();
        private readonly DateTimeOffset _startedAt = purge._time.GetUtcNow();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<PurgeStepReport> _steps = [];
        private readonly TableCounts _tables = new();
        private readonly PurgeCutoffs _cutoffs = Utc(request.Cutoffs ?? PurgeCutoffs.From(purge._settings, purge._time.GetUtcNow()));
        private string _foreignKeyChecks = "not decided";
        private AuditCheckpoint? _checkpoint;

        private TimeSpan Budget => purge._options.TimeBudget ?? purge._settings.Retention.TimeBudget;

        public async Task<PurgeReport> ExecuteAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            var (skipChecks, reason) = await ReferenceGuard.DecideAsync(connection, purge._options.AllowSkippingForeignKeyChecks, ct);
            _foreignKeyChecks = reason;
            IReadOnlyList<string> protectedCreators = [CatalogSeeder.Actor];
            PurgePass[] passes =
            [
                OldRowsPass.TimerRuns(_cutoffs.Data),
                OldRowsPass.SchedulerDeliveries(_cutoffs.Data),
                OldRowsPass.MigrationLog(_cutoffs.MigrationLog),
                OldRowsPass.MigrationRuns(_cutoffs.MigrationLog),
                OldRowsPass.MigrationApprovals(_cutoffs.MigrationLog),
                new ExpiredTrialsPass(_cutoffs.Data, protectedCreators, skipChecks),
                new SupersededVersionsPass(_cutoffs.Data, protectedCreators),
            ];

            foreach (var pass in passes)
            {
                _steps.Add(await RunPassAsync(connection, pass, ct));
            }

            _steps.Add(await CutAuditAsync(connection, ct));

            var vacuum = request.DryRun ? new VacuumResult([], TimeSpan.Zero, []) : await VacuumAsync(connection, ct);
            return Snapshot() with { Vacuumed = vacuum.Tables, VacuumDuration = vacuum.Duration, VacuumWarnings = vacuum.Warnings };
        }

        public PurgeReport Snapshot() => new()
        {
            RunId = _id,
            DryRun = request.DryRun,
            Actor = request.Actor,
            StartedAt = _startedAt,
            Duration = _clock.Elapsed,
            Cutoffs = _cutoffs,
            Tables = new SortedDictionary<string, long>(_tables.Rows.ToDictionary(), StringComparer.Ordinal),
            Steps = [.. _steps],
            ForeignKeyChecks = _foreignKeyChecks,
            Checkpoint = _checkpoint,
        };

        private static PurgeCutoffs Utc(PurgeCutoffs cutoffs) => new(cutoffs.Data?.ToUniversalTime(), cutoffs.Audit?.ToUniversalTime(), cutoffs.MigrationLog?.ToUniversalTime());

        private async Task<PurgeStepReport> RunPassAsync(NpgsqlConnection connection, PurgePass pass, CancellationToken ct)
        {
            var started = _clock.Elapsed;
            PurgeStepReport Step(PurgeStepOutcome outcome, string? reason, TableCounts rows, int batches) =>
                new(pass.Name, outcome, reason, pass.Cutoff, rows.Rows.ToDictionary(), batches, _clock.Elapsed - started);

            var counts = new TableCounts();
            if (pass.Cutoff is null)
            {
                return Step(PurgeStepOutcome.Skipped, "no retention is set for it: kept", counts, 0);
            }

            if (!await TableExistsAsync(connection, pass.Tables[0], ct))
            {
                return Step(PurgeStepOutcome.Skipped, $"{pass.Tables[0]} does not exist yet", counts, 0);
            }

            if (request.DryRun)
            {
                counts = await pass.CountAsync(connection, ct);
                _tables.Add(counts);
                return Step(PurgeStepOutcome.Done, null, counts, 0);
            }

            // Two lanes where the pass can split: one batch keeps one database core busy, and a second lane roughly
            // halves a large purge without taking every core from the application's queries (docs/BENCHMARKS.md).
            var lanes = pass.Split(2);
            await using var second = lanes.Count > 1 ? await OpenSecondSessionAsync(ct) : null;
            if (second is null)
            {
                lanes = [pass];
            }

            // A lane that fails cancels the other (its batch in flight rolls back); the failure is what the run reports.
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var outcomes = await Task.WhenAll(lanes.Select(async (lane, i) =>
            {
                try
                {
                    return await RunLaneAsync(i == 0 ? connection : second!, lane, counts, failed.Token);
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            }));

            var batches = outcomes.Sum(o => o.Batches);
            var unfinished = outcomes.FirstOrDefault(o => o.Outcome == PurgeStepOutcome.Locked) ?? outcomes.FirstOrDefault(o => o.Outcome != PurgeStepOutcome.Done);
            return unfinished is null
                ? Step(PurgeStepOutcome.Done, null, counts, batches)
                : Step(unfinished.Outcome, unfinished.Reason, counts, batches);
        }

        /// <summary>One lane's batches, one transaction each, until it is done, its time is up or a row stays locked.</summary>
        private async Task<LaneOutcome> RunLaneAsync(NpgsqlConnection connection, PurgePass pass, TableCounts counts, CancellationToken ct)
        {
            var fixedSize = purge._options.FixedBatchSize;
            var sizer = new BatchSizer(purge._settings.Retention.StatementTarget, fixedSize ?? pass.InitialBatchSize, fixedSize ?? 10, fixedSize ?? pass.MaximumBatchSize);
            var batches = 0;
            while (true)
            {
                if (_clock.Elapsed >= Budget)
                {
                    return new(PurgeStepOutcome.Incomplete, $"the run's time budget of {Budget.TotalSeconds:0} s ran out; the next run carries on", batches);
                }

                var watch = Stopwatch.StartNew();
                BatchResult result;
                try
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    // SKIP LOCKED never waits for a row; deleting what belongs to a row might (a link row a user
                    // transaction holds): such a batch gives up quickly and is retried by the next run.
                    await connection.ExecuteAsync("set local lock_timeout = '5s'", new { ct }, transaction);

                    result = await pass.DeleteBatchAsync(connection, transaction, sizer.Size, ct);
                    await transaction.CommitAsync(ct);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    return new(PurgeStepOutcome.Locked, $"a row stayed locked by another transaction ({e.MessageText}); left for the next run", batches);
                }

                batches++;
                lock (_tables)
                {
                    counts.Add(result.Deleted);
                    _tables.Add(result.Deleted);
                }

                if (fixedSize is null)
                {
                    sizer.Observe(result.Selected, watch.Elapsed);
                }

                if (result.Done)
                {
                    return new(PurgeStepOutcome.Done, null, batches);
                }
            }
        }

        /// <summary>
        /// Cuts the audit chain's oldest entries, those before the audit cutoff, in batches: each one checkpoints the
        /// chain (verifies it up to there and stores a signed checkpoint) and cuts up to that checkpoint through
        /// <see cref="AuditTrail.CutAsync"/>, the one path allowed to remove entries. Verification then starts from
        /// the last checkpoint. A chain that does not verify is not cut.
        /// </summary>
        private async Task<PurgeStepReport> CutAuditAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            const string Table = "genesis.audit_entry";
            var started = _clock.Elapsed;
            var counts = new TableCounts();
            var batches = 0;
            PurgeStepReport Step(PurgeStepOutcome outcome, string? reason) =>
                new("audit-entries", outcome, reason, _cutoffs.Audit, counts.Rows.ToDictionary(), batches, _clock.Elapsed - started);

            if (_cutoffs.Audit is not { } cutoff)
            {
                return Step(PurgeStepOutcome.Skipped, "no audit retention is set: the whole chain is kept");
            }

            if (!await TableExistsAsync(connection, Table, ct))
            {
                return Step(PurgeStepOutcome.Skipped, $"{Table} does not exist yet");
            }

            // The entries to cut are the oldest ones up to the first entry at or after the cutoff: a cut is always
            // a prefix of the chain, so a late entry with an earlier time (appends take their time before their
            // place) ends the prefix rather than being skipped over.
            const string RangeSql = """
                select (select min(sequence) from genesis.audit_entry) as first,
                       coalesce((select min(sequence) from genesis.audit_entry where occurred_at >= @cutoff) - 1,
                                (select max(sequence) from genesis.audit_entry)) as through
                """;
            var range = await connection.QuerySingleAsync<AuditRange>(RangeSql, new { cutoff, ct });
            if (range is not { First: { } first, Through: { } through })
            {
                return Step(PurgeStepOutcome.Done, null);
            }

            if (through < first)
            {
                return Step(PurgeStepOutcome.Done, null);
            }

            if (request.DryRun)
            {
                counts.Add(Table, through - first + 1);
                _tables.Add(counts);
                return Step(PurgeStepOutcome.Done, null);
            }

            var fixedSize = purge._options.FixedBatchSize;
            var sizer = new BatchSizer(purge._settings.Retention.StatementTarget, fixedSize ?? 20_000, fixedSize ?? 100, fixedSize ?? 500_000);
            while (first <= through)
            {
                if (_clock.Elapsed >= Budget)
                {
                    return Step(PurgeStepOutcome.Incomplete, $"the run's time budget of {Budget.TotalSeconds:0} s ran out; the next run carries on");
                }

                var upTo = Math.Min(through, first + sizer.Size - 1);
                var watch = Stopwatch.StartNew();
                long removed;
                try
                {
                    _checkpoint = await purge._audit.CheckpointAsync(upTo, ct);
                    removed = await purge._audit.CutAsync(upTo, ct);
                }
                catch (AuditException e)
                {
                    return Step(PurgeStepOutcome.Refused, $"the audit chain was not cut: {e.Message}");
                }

                batches++;
                var cut = new TableCounts();
                cut.Add(Table, removed);
                counts.Add(cut);
                _tables.Add(cut);
                if (fixedSize is null)
                {
                    sizer.Observe((int)Math.Min(removed, int.MaxValue), watch.Elapsed);
                }

                first = upTo + 1;
            }

            return Step(PurgeStepOutcome.Done, null);
        }

        /// <summary>
        /// VACUUM (ANALYZE) of every table rows left, outside any transaction (VACUUM cannot run in one), so that
        /// the space is reusable and the planner sees the new sizes at once rather than at autovacuum's pace. Two
        /// sessions take the tables in turn: one VACUUM keeps one core busy, and after a large purge it was a fifth
        /// of the run (docs/BENCHMARKS.md).
        /// </summary>
        private async Task<VacuumResult> VacuumAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            var warnings = new List<string>();
            var tables = _tables.Rows.Where(t => t.Value > 0).Select(t => t.Key).ToList();
            var next = -1;
            async Task VacuumTablesAsync(NpgsqlConnection session)
            {
                void OnNotice(object sender, NpgsqlNoticeEventArgs e)
                {
                    lock (warnings)
                    {
                        warnings.Add(e.Notice.MessageText);
                    }
                }

                session.Notice += OnNotice;
                try
                {
                    for (var i = Interlocked.Increment(ref next); i < tables.Count; i = Interlocked.Increment(ref next))
                    {
                        // The name is one of this assembly's constants (PurgePass.Tables), never input.
                        await using var vacuum = new NpgsqlCommand($"vacuum (analyze) {tables[i]}", session) { CommandTimeout = 0 };
                        await vacuum.ExecuteNonQueryAsync(ct);
                    }
                }
                finally
                {
                    session.Notice -= OnNotice;
                }
            }

            await using var second = await OpenSecondSessionAsync(ct);
            await Task.WhenAll(second is null ? [VacuumTablesAsync(connection)] : [VacuumTablesAsync(connection), VacuumTablesAsync(second)]);
            return new VacuumResult(tables, watch.Elapsed, warnings);
        }

        /// <summary>A second connection for a second lane or VACUUM session, or null when the pool has none to spare (then the purge's own session does it all).</summary>
        private async Task<NpgsqlConnection?> OpenSecondSessionAsync(CancellationToken ct)
        {
            if (new NpgsqlConnectionStringBuilder(purge._dataSource.ConnectionString).MaxPoolSize < 2)
            {
                return null;
            }

            try
            {
                return await purge._dataSource.OpenConnectionAsync(ct);
            }
            catch (NpgsqlException e) when (e.InnerException is TimeoutException)
            {
                return null; // every pooled connection is busy: the purge's own session is enough
            }
        }

        private static async Task<bool> TableExistsAsync(NpgsqlConnection connection, string table, CancellationToken ct)
        {
            return await connection.ExecuteScalarAsync<bool>("select to_regclass(@table) is not null", new { table, ct });
        }
    }

    /// <summary>The audit entries to cut, first to last; both null when there are none.</summary>
    internal sealed record AuditRange(long? First, long? Through);

    private sealed record LaneOutcome(PurgeStepOutcome Outcome, string? Reason, int Batches);

    private sealed record VacuumResult(IReadOnlyList<string> Tables, TimeSpan Duration, IReadOnlyList<string> Warnings);
}
