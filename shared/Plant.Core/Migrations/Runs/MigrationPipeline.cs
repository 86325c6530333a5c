using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Core.Migrations.Smoke;

namespace Plant.Core.Migrations.Runs;

/// <summary>
/// The one way the schema changes: the Migrate function's timer, its admin routes, the command line, and the tests'
/// and benchmarks' databases all run it. Every run takes the migration lock; validates the history and checksums;
/// applies the environment's policy; backs up; runs the scripts, each in its own transaction; runs the smoke
/// checks; on a failure undoes the batch with the opposite scripts, so that the database is back at the version
/// the run started from; records the run; releases the lock. Every operation (status, plan, up, down, approve)
/// writes one line to the migration log, failures included. Approvals and the read-only views (status, plan) are
/// in the other parts of this class.
/// </summary>
public sealed partial class MigrationPipeline
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly MigrationSet _migrations;
    private readonly PlantSettings _settings;
    private readonly IDatabaseBackup? _backup;
    private readonly TimeProvider _time;
    private readonly MigrationOptions _options;
    private readonly AuditTrail? _audit;

    /// <param name="dataSource">The database.</param>
    /// <param name="migrations">This build's migrations (<see cref="MigrationSet.Embedded"/> unless testing).</param>
    /// <param name="settings">The environment's settings: its migration policy and approval lifetime.</param>
    /// <param name="backup">The backup taken before scripts run; null when backups are off (<c>PLANT_BACKUP=none</c>).</param>
    /// <param name="time">The clock for reports and approvals; the system clock when null.</param>
    /// <param name="options">DDL timeouts and the history's applied-by; defaults when null.</param>
    /// <param name="audit">Where each run and approval is also recorded; null only where there is no audit trail (tests, benchmarks).</param>
    public MigrationPipeline(
        NpgsqlDataSource dataSource,
        MigrationSet migrations,
        PlantSettings settings,
        IDatabaseBackup? backup,
        TimeProvider? time = null,
        MigrationOptions? options = null,
        AuditTrail? audit = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(settings);
        _dataSource = dataSource;
        _migrations = migrations;
        _settings = settings;
        _backup = backup;
        _time = time ?? TimeProvider.System;
        _options = options ?? new MigrationOptions();
        _audit = audit;
    }

    /// <summary>Runs the pipeline once and returns its report (also recorded, except for <see cref="MigrationRunOutcome.Busy"/>).</summary>
    /// <exception cref="MigrationRefusedException">The request itself cannot be done (a bad target, an unusable approval, a history that cannot be read): nothing ran, nothing was recorded.</exception>
    /// <exception cref="NpgsqlException">The database could not be reached or was lost mid-run.</exception>
    public Task<MigrationRunReport> RunAsync(MigrationRunRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Target is null && request.Operation == MigrationOperation.Down)
        {
            throw new ArgumentException("A down run needs a target.", nameof(request));
        }

        return LoggedAsync(request.Operation == MigrationOperation.Up ? "up" : "down", line =>
        {
            var run = new RunState(request, _settings, _time.GetUtcNow());
            return LockedAsync(request.LockWait, async connection =>
            {
                // Read before anything is created: a history that cannot be read, or a bad target, changes nothing.
                var applied = await ReadHistoryAsync(connection, ct);
                line.From = line.To = run.From = run.To = RunPlanner.CurrentVersion(applied);
                if (request.Target is { } target)
                {
                    RunPlanner.CheckKnown(_migrations, target);
                }

                await RunTables.EnsureAsync(connection, ct);
                // Under the lock, a run noted as started is one whose runner died: it is recorded as interrupted.
                await MigrationRuns.RecordInterruptedAsync(connection, run.From, _time.GetUtcNow(), ct);
                await MigrationRuns.StartAsync(connection, Finish(run, MigrationRunOutcome.Interrupted,
                    "The runner's session ended before the run recorded an outcome (its process was killed, or it lost the database); the history says what it changed."), ct);
                MigrationRunReport report;
                try
                {
                    var problems = MigrationValidator.FindProblems(_migrations, applied);
                    report = problems.Count > 0
                        ? Finish(run, MigrationRunOutcome.Refused, $"Refusing to {(request.Operation == MigrationOperation.Up ? "migrate" : "roll back")}: {string.Join(" ", problems)}")
                        : request.Operation == MigrationOperation.Up
                            ? await UpAsync(connection, run, applied, ct)
                            : await DownAsync(connection, run, applied, ct);
                }
                catch (Exception) when (connection.State == System.Data.ConnectionState.Open)
                {
                    // A refused request (a thrown refusal) records nothing, so its note goes too: only a dead runner leaves one.
                    await MigrationRuns.ForgetAsync(connection, run.RunId);
                    throw;
                }

                return line.Report(await RecordAsync(connection, report));
            },
            () =>
            {
                // Not recorded; the log line says it did nothing, without the versions it never read.
                var busy = Finish(run, MigrationRunOutcome.Busy, "Another migration run holds the migration lock; this one did nothing.");
                (line.Success, line.Message) = (false, busy.Message);
                return busy;
            },
            ct);
        });
    }

    private async Task<MigrationRunReport> UpAsync(NpgsqlConnection connection, RunState run, IReadOnlyList<AppliedMigration> applied, CancellationToken ct)
    {
        var (plan, approval) = await ChoosePlanAsync(connection, run, applied, ct);
        run.Plan(plan, await DroppedTables.CountAsync(connection, plan, ct));
        if (plan.IsEmpty)
        {
            return Finish(run, MigrationRunOutcome.NothingToDo, $"Nothing pending up to V{Migration.FormatVersion(plan.TargetVersion)}; the database is at V{Migration.FormatVersion(run.From)}.");
        }

        var pending = string.Create(CultureInfo.InvariantCulture, $"{plan.Migrations.Count} pending ({RunPlanner.Versions(plan.Migrations.Select(m => m.Version))})");
        if (approval is null && RunPlanner.NeedsApproval(_settings, plan, run.Drops))
        {
            return Finish(run, MigrationRunOutcome.AwaitingApproval,
                $"{pending}, awaiting approval: approve the plan to V{Migration.FormatVersion(plan.TargetVersion)}, checksum {plan.Checksum}.");
        }

        if (approval is null && _settings.MigrationPolicy == MigrationPolicy.Manual && run.Request.Trigger == MigrationTrigger.Schedule)
        {
            return Finish(run, MigrationRunOutcome.AwaitingOperator,
                $"{pending}, awaiting an operator: the policy is manual, so scheduled runs apply nothing (apply through the route or the command line, or set {PlantSettings.MigrationPolicySetting}=auto).");
        }

        if (approval is null && run.Request.Trigger == MigrationTrigger.Schedule
            && await MigrationRuns.FindLastAttemptAsync(connection, plan.Checksum, ct) is { FailureStage: not null and not "backup" } last)
        {
            // Retrying a broken migration every few minutes would only take backups and fail again; a fixed build changes the plan.
            return Finish(run, MigrationRunOutcome.NotRetried,
                $"{pending}, not retried on schedule: this exact plan failed in run {last.RunId} at {last.FinishedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}. Deploy a fixed migration, or apply it through the route or the command line.");
        }

        var withoutDown = plan.Migrations.Where(m => m.DownSql is null).Select(m => m.Version).ToList();
        if (withoutDown.Count > 0)
        {
            return Finish(run, MigrationRunOutcome.Refused,
                $"Refusing to migrate: {RunPlanner.Versions(withoutDown)} has no down script, so the batch could not be undone if a smoke check failed.");
        }

        return await BackUpAndApplyAsync(connection, run, plan, approval, pending, ct);
    }

    /// <summary>The plan to run, and the approval that allows it, if one is named or the policy needs one.</summary>
    private async Task<(MigrationPlan Plan, MigrationApproval? Approval)> ChoosePlanAsync(
        NpgsqlConnection connection, RunState run, IReadOnlyList<AppliedMigration> applied, CancellationToken ct)
    {
        var request = run.Request;
        if (await NamedApprovalAsync(connection, request, applied, ct) is { } named)
        {
            return named;
        }

        var requested = RunPlanner.Up(_migrations, applied, request.Target ?? _migrations.Latest);
        if (requested.IsEmpty || _settings.MigrationPolicy != MigrationPolicy.Approval)
        {
            return (requested, null);
        }

        var open = await MigrationApprovals.ReadOpenAsync(connection, _time.GetUtcNow(), ct);
        var match = RunPlanner.Match(_migrations, applied, open, MigrationOperation.Up, request.Target);
        return match is null ? (requested, null) : (RunPlanner.Approved(_migrations, applied, match)!, match);
    }

    /// <summary>The approval the request names and the plan it approved, or null when it names none.</summary>
    /// <exception cref="MigrationRefusedException">The approval is missing, used, expired, for another target or direction, or its plan has changed.</exception>
    private async Task<(MigrationPlan Plan, MigrationApproval Approval)?> NamedApprovalAsync(
        NpgsqlConnection connection, MigrationRunRequest request, IReadOnlyList<AppliedMigration> applied, CancellationToken ct)
    {
        if (request.ApprovalId is not { } id)
        {
            return null;
        }

        var named = await MigrationApprovals.FindAsync(connection, id, ct)
            ?? throw new MigrationRefusedException(MigrationRefusal.ApprovalNotFound, $"There is no approval {id}.");
        switch (named.StateAt(_time.GetUtcNow()))
        {
            case ApprovalState.Used:
                throw new MigrationRefusedException(MigrationRefusal.ApprovalUsed, $"Approval {id} was used by run {named.UsedByRun} at {named.UsedAt!.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}; an approval is used once.");
            case ApprovalState.Expired:
                throw new MigrationRefusedException(MigrationRefusal.ApprovalExpired, $"Approval {id} expired at {named.ExpiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        }

        if (named.Operation != request.Operation || request.Target is { } target && target != named.TargetVersion)
        {
            var approved = named.Operation == MigrationOperation.Up ? "applying the plan" : "rolling back";
            var asked = request.Operation == MigrationOperation.Up ? "apply" : "roll back";
            throw new MigrationRefusedException(MigrationRefusal.ApprovalTargetMismatch,
                $"Approval {id} is for {approved} to V{Migration.FormatVersion(named.TargetVersion)}; this request asks to {asked}{(request.Target is { } t ? " to V" + Migration.FormatVersion(t) : "")}.");
        }

        return RunPlanner.Approved(_migrations, applied, named) is { } plan
            ? (plan, named)
            : throw new MigrationRefusedException(MigrationRefusal.ApprovalPlanChanged,
                $"Approval {id} approved another plan than the current plan to V{Migration.FormatVersion(named.TargetVersion)} (the database is at V{Migration.FormatVersion(RunPlanner.CurrentVersion(applied))}): review the plan again and approve it anew.");
    }

    /// <summary>
    /// A rollback. Not subject to the policy: it is the way back from a bad release. But in uat and prod a rollback to
    /// V0000, or one that drops a table holding rows, needs an approval of its plan, as an apply does under the approval policy.
    /// </summary>
    private async Task<MigrationRunReport> DownAsync(NpgsqlConnection connection, RunState run, IReadOnlyList<AppliedMigration> applied, CancellationToken ct)
    {
        var target = run.Request.Target!.Value;
        var named = await NamedApprovalAsync(connection, run.Request, applied, ct);
        var plan = named?.Plan ?? RunPlanner.Down(_migrations, applied, target);
        run.Plan(plan, await DroppedTables.CountAsync(connection, plan, ct));
        if (plan.IsEmpty)
        {
            return Finish(run, MigrationRunOutcome.NothingToDo, $"The database is already at V{Migration.FormatVersion(target)}.");
        }

        var approval = named?.Approval;
        var undo = $"Rolling back {RunPlanner.Versions(plan.Migrations.Select(m => m.Version))}";
        if (approval is null && RunPlanner.NeedsApproval(_settings, plan, run.Drops))
        {
            var open = await MigrationApprovals.ReadOpenAsync(connection, _time.GetUtcNow(), ct);
            approval = RunPlanner.Match(_migrations, applied, open, MigrationOperation.Down, target);
            if (approval is null)
            {
                var why = plan.TargetVersion == 0 ? "empties the database" : "drops tables holding rows";
                var drops = run.Drops.Count == 0 ? "" : $": it drops {DroppedTables.Describe(run.Drops)}";
                return Finish(run, MigrationRunOutcome.AwaitingApproval,
                    $"Rolling back to V{Migration.FormatVersion(target)} {why}{drops}. In {MigrationRuns.Name(_settings.Environment)} that needs an approval: approve the plan to V{Migration.FormatVersion(target)}, checksum {plan.Checksum}.");
            }
        }

        return await BackUpAndApplyAsync(connection, run, plan, approval, undo, ct);
    }

    /// <summary>The backup, then the approval used up (if the run has one), then the scripts.</summary>
    private async Task<MigrationRunReport> BackUpAndApplyAsync(
        NpgsqlConnection connection, RunState run, MigrationPlan plan, MigrationApproval? approval, string what, CancellationToken ct)
    {
        var up = plan.Operation == MigrationOperation.Up;
        if (!await BackupAsync(run, $"{(up ? "up" : "down")} {Migration.FormatVersion(run.From)} -> {Migration.FormatVersion(plan.TargetVersion)}", ct))
        {
            return Finish(run, MigrationRunOutcome.Failed, run.FailureMessage());
        }

        if (approval is not null)
        {
            // Used up under the lock, just before the first script: no other run can apply it, even if this one fails.
            if (!await MigrationApprovals.TryUseAsync(connection, approval.Id, run.RunId, _time.GetUtcNow(), ct))
            {
                return Finish(run, MigrationRunOutcome.AwaitingApproval, $"{what}, awaiting approval: approval {approval.Id} expired while the backup ran.");
            }

            run.ApprovalId = approval.Id;
        }

        return await ApplyAsync(connection, run, plan.Migrations, up, ct);
    }

    /// <summary>The history, oldest first; empty for a database the engine has not touched.</summary>
    /// <exception cref="MigrationRefusedException">The history exists but cannot be read: the pipeline fails closed.</exception>
    private static async Task<IReadOnlyList<AppliedMigration>> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            return await MigrationHistory.ReadAsync(connection, ct) ?? [];
        }
        catch (MigrationException e)
        {
            throw new MigrationRefusedException(MigrationRefusal.HistoryInvalid, e.Message);
        }
    }

    /// <summary>The history, when it also passes validation.</summary>
    /// <exception cref="MigrationRefusedException">The history cannot be read or fails validation.</exception>
    private async Task<IReadOnlyList<AppliedMigration>> ReadValidatedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = await ReadHistoryAsync(connection, ct);
        var problems = MigrationValidator.FindProblems(_migrations, applied);
        return problems.Count == 0
            ? applied
            : throw new MigrationRefusedException(MigrationRefusal.HistoryInvalid, "Refusing: " + string.Join(" ", problems));
    }

    /// <summary>The backup; false (with the failure noted) when it failed.</summary>
    private async Task<bool> BackupAsync(RunState run, string description, CancellationToken ct)
    {
        if (_backup is null)
        {
            return true;
        }

        try
        {
            run.Backup = await _backup.BackupAsync(new BackupRequest(run.RunId, run.From, description), ct);
            return true;
        }
        catch (Exception e) when (e is BackupException || e is OperationCanceledException && ct.IsCancellationRequested)
        {
            run.Failure = new MigrationFailure(MigrationFailureStage.Backup, null, null, null, null, e is BackupException ? e.Message : Cancelled);
            return false;
        }
    }

    /// <summary>Runs the scripts of a batch, then the smoke checks; on a failure undoes what ran.</summary>
    private async Task<MigrationRunReport> ApplyAsync(NpgsqlConnection connection, RunState run, IReadOnlyList<Migration> batch, bool up, CancellationToken ct)
    {
        var executor = new MigrationExecutor(connection, _options);
        var done = new List<Migration>();
        foreach (var migration in batch)
        {
            try
            {
                await (up ? executor.UpAsync(migration, ct) : executor.DownAsync(migration, ct));
            }
            catch (Exception e) when (e is MigrationException || e is OperationCanceledException && ct.IsCancellationRequested)
            {
                var failed = e as MigrationException;
                run.Failure = new MigrationFailure(MigrationFailureStage.Migration, migration.Version, migration.Description,
                    failed?.Statement, failed?.StatementNumber, failed?.Error ?? failed?.Message ?? Cancelled);
                await UndoAsync(executor, run, done, up);
                return Finish(run, MigrationRunOutcome.Failed, run.FailureMessage());
            }

            done.Add(migration);
            run.Ran.Add(migration.Version);
            run.To = up ? migration.Version : VersionBelow(run, migration.Version);
        }

        try
        {
            run.SmokeChecks = await SmokeChecks.RunAsync(connection, up ? done : [], ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.SmokeChecks = [new SmokeCheckResult("smoke checks", SmokeCheckStatus.Failed, Cancelled)];
        }

        var failedChecks = run.SmokeChecks.Where(c => c.Status == SmokeCheckStatus.Failed).ToList();
        if (failedChecks.Count > 0)
        {
            run.Failure = new MigrationFailure(MigrationFailureStage.SmokeCheck, null, null, null, null,
                string.Join("; ", failedChecks.Select(c => $"{c.Name}: {c.Detail}")));
            await UndoAsync(executor, run, done, up);
            return Finish(run, MigrationRunOutcome.Failed, run.FailureMessage());
        }

        var passed = run.SmokeChecks.Count(c => c.Status == SmokeCheckStatus.Passed);
        var verb = up ? "Applied" : "Rolled back";
        return Finish(run, MigrationRunOutcome.Succeeded, string.Create(CultureInfo.InvariantCulture,
            $"{verb} {RunPlanner.Versions(run.Ran)}; the database is at V{Migration.FormatVersion(run.To)}. {passed} smoke check(s) passed, {run.SmokeChecks.Count - passed} skipped."));
    }

    /// <summary>
    /// Undoes the scripts that ran, newest first, with the opposite scripts. Not cancellable: a run cut short by a
    /// timeout must still get back to where it started.
    /// </summary>
    private static async Task UndoAsync(MigrationExecutor executor, RunState run, List<Migration> done, bool up)
    {
        for (var i = done.Count - 1; i >= 0; i--)
        {
            var migration = done[i];
            try
            {
                await (up ? executor.DownAsync(migration, CancellationToken.None) : executor.UpAsync(migration, CancellationToken.None));
            }
            catch (Exception e) when (e is MigrationException or NpgsqlException or InvalidOperationException)
            {
                var failed = e as MigrationException;
                run.UndoFailure = new MigrationFailure(MigrationFailureStage.Undo, migration.Version, migration.Description,
                    failed?.Statement, failed?.StatementNumber, failed?.Error ?? e.Message);
                return;
            }

            run.Undone.Add(migration.Version);
            run.To = up ? (i == 0 ? run.From : done[i - 1].Version) : migration.Version;
        }
    }

    /// <summary>The version a down run is at once <paramref name="version"/> is undone: the next one down in its batch, or its target.</summary>
    private static int VersionBelow(RunState run, int version) =>
        run.Migrations.Select(m => m.Version).Where(v => v < version).DefaultIfEmpty(run.Target ?? 0).Max();

    private MigrationRunReport Finish(RunState run, MigrationRunOutcome outcome, string message) => run.Finish(outcome, message, _time.GetUtcNow());

    /// <summary>
    /// The one place a run is recorded, before the lock is released: its audit entry, then the run table (with the
    /// entry). The recorded report is returned.
    /// </summary>
    private async Task<MigrationRunReport> RecordAsync(NpgsqlConnection connection, MigrationRunReport report)
    {
        // Not cancellable: a run cut short is recorded all the same.
        var details = JsonSerializer.SerializeToElement(new RunDetails(
            report.RunId,
            MigrationRuns.Name(report.Trigger),
            MigrationRuns.Name(report.Outcome),
            MigrationRuns.Name(report.Environment),
            report.FromVersion,
            report.ToVersion,
            report.TargetVersion,
            report.PlanChecksum,
            [.. report.Drops.Select(d => new DropDetails(d.Table, d.Rows))],
            report.Ran,
            report.Undone,
            report.ApprovalId,
            report.Backup?.Location,
            (report.UndoFailure ?? report.Failure) is { } failure ? MigrationRuns.Name(failure.Stage) : null,
            report.Message), RunsJsonContext.Default.RunDetails);
        var action = $"migration.{MigrationRuns.Name(report.Operation)}.{MigrationRuns.Name(report.Outcome)}";
        var (entry, problem) = await AppendAuditAsync(connection, report.RequestedBy, action, details);
        report = report with { AuditEntry = entry, AuditProblem = problem };
        await MigrationRuns.InsertAsync(connection, report, CancellationToken.None);
        return report;
    }

    /// <summary>
    /// Appends to the audit trail in a transaction of its own. The schema change is already done: a trail that
    /// does not exist at this version (below V0003) or an append that fails is noted in the report, not thrown.
    /// </summary>
    private async Task<(AuditEntry? Entry, string? Problem)> AppendAuditAsync(NpgsqlConnection connection, string actor, string action, JsonElement details)
    {
        if (_audit is null)
        {
            return (null, null);
        }

        if (!await AuditTrailExistsAsync(connection, CancellationToken.None))
        {
            return (null, "no audit trail at this schema version (genesis.audit_head does not exist)");
        }

        try
        {
            return (await _audit.AppendAsync(new AuditRecord(actor, action, null, details), CancellationToken.None), null);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return (null, $"the audit entry could not be appended ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>The audit trail's tables come with V0003: a database below it, or rolled back below it, has none.</summary>
    private static async Task<bool> AuditTrailExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        return await connection.ExecuteScalarAsync<bool>("select to_regclass('genesis.audit_head') is not null", new { ct });
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a connection of its own that holds the migration lock, released at the end; when
    /// another session holds the lock for all of <paramref name="wait"/>, answers <paramref name="busy"/> instead.
    /// </summary>
    private async Task<T> LockedAsync<T>(TimeSpan wait, Func<NpgsqlConnection, Task<T>> body, Func<T> busy, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        // A runner killed mid-statement leaves its session running the statement, and holding the lock, until the
        // statement ends: PostgreSQL reads the socket only between statements. With this it checks every second.
        await connection.ExecuteAsync("set client_connection_check_interval = 1000", new { ct });

        if (!await MigrationLock.TryAcquireAsync(connection, wait, _options.LockPollInterval, ct))
        {
            return busy();
        }

        try
        {
            return await body(connection);
        }
        finally
        {
            // A broken connection has lost the lock with its session already.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await MigrationLock.ReleaseAsync(connection, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Runs one operation and writes its migration log line however it ends, failures included, on a connection of
    /// its own once the operation's connection is closed, so that no rollback takes the line with it.
    /// </summary>
    private async Task<T> LoggedAsync<T>(string operation, Func<LogLine, Task<T>> body)
    {
        var clock = Stopwatch.StartNew();
        var line = new LogLine();
        try
        {
            return await body(line);
        }
        catch (Exception e)
        {
            line.Success = false;
            line.Message ??= e.Message;
            throw;
        }
        finally
        {
            // Not cancellable: the line is written even when the operation was cancelled.
            await MigrationLog.TryWriteAsync(_dataSource, new MigrationLogEntry(
                _time.GetUtcNow(), _settings.Environment, operation, line.From, line.To, line.Success,
                (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds), line.Message), CancellationToken.None);
        }
    }

    private const string Cancelled = "cancelled (function timeout or shutdown)";

    /// <summary>What an operation's log line says, filled in as the operation goes; versions it never learnt stay null.</summary>
    private sealed class LogLine
    {
        public int? From { get; set; }

        public int? To { get; set; }

        public bool Success { get; set; } = true;

        public string? Message { get; set; }

        /// <summary>Takes a recorded run's versions, outcome and message.</summary>
        public MigrationRunReport Report(MigrationRunReport report)
        {
            (From, To, Success, Message) = (report.FromVersion, report.ToVersion, !report.IsFailure, report.Message);
            return report;
        }
    }

    /// <summary>The audit details of a recorded run (camelCase, as <see cref="RunsJsonContext"/> writes them).</summary>
    internal sealed record RunDetails(
        Guid RunId, string Trigger, string Outcome, string Environment, int FromVersion, int ToVersion, int? TargetVersion,
        string? PlanChecksum, DropDetails[] Drops, IReadOnlyList<int> Ran, IReadOnlyList<int> Undone, Guid? ApprovalId,
        string? Backup, string? FailureStage, string Message);

    /// <summary>A table a run's plan drops, as its audit entry lists it.</summary>
    internal sealed record DropDetails(string Table, long Rows);

    /// <summary>The audit details of an approval.</summary>
    internal sealed record ApprovedDetails(
        Guid ApprovalId, string ApprovedBy, string Operation, int TargetVersion, string PlanChecksum, IReadOnlyList<int> Versions,
        string? Note, string ExpiresAt);
}
