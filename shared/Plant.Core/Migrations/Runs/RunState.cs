using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Core.Migrations.Smoke;

namespace Plant.Core.Migrations.Runs;

/// <summary>What a run has done so far; <see cref="Finish"/> turns it into the report.</summary>
internal sealed class RunState(MigrationRunRequest request, PlantSettings settings, DateTimeOffset startedAt)
{
    public Guid RunId { get; } = Guid.NewGuid();

    public MigrationRunRequest Request { get; } = request;

    public int From { get; set; }

    public int To { get; set; }

    public int? Target { get; set; }

    public string? PlanChecksum { get; set; }

    public IReadOnlyList<Migration> Migrations { get; set; } = [];

    public IReadOnlyList<DroppedTable> Drops { get; set; } = [];

    public List<int> Ran { get; } = [];

    public List<int> Undone { get; } = [];

    public Guid? ApprovalId { get; set; }

    public BackupResult? Backup { get; set; }

    public IReadOnlyList<SmokeCheckResult> SmokeChecks { get; set; } = [];

    public MigrationFailure? Failure { get; set; }

    public MigrationFailure? UndoFailure { get; set; }

    /// <summary>Notes the plan the run is about, and the tables it drops.</summary>
    public void Plan(MigrationPlan plan, IReadOnlyList<DroppedTable> drops)
    {
        Target = plan.TargetVersion;
        PlanChecksum = plan.IsEmpty ? null : plan.Checksum;
        Migrations = plan.Migrations;
        Drops = drops;
    }

    public MigrationRunReport Finish(MigrationRunOutcome outcome, string message, DateTimeOffset finishedAt) => new()
    {
        RunId = RunId,
        Trigger = Request.Trigger,
        Operation = Request.Operation,
        Outcome = outcome,
        Environment = settings.Environment,
        Policy = settings.MigrationPolicy,
        RequestedBy = Request.RequestedBy,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        FromVersion = From,
        ToVersion = To,
        TargetVersion = Target,
        PlanChecksum = PlanChecksum,
        Migrations = [.. Migrations.Select(m => new PlannedMigration(m.Version, m.Description, m.Checksum))],
        Drops = Drops,
        Ran = [.. Ran],
        Undone = [.. Undone],
        ApprovalId = ApprovalId,
        Backup = Backup,
        SmokeChecks = SmokeChecks,
        Failure = Failure,
        UndoFailure = UndoFailure,
        Message = message,
    };

    /// <summary>The message of a failed run: what failed, where, and where the database is now.</summary>
    public string FailureMessage()
    {
        var failure = Failure!;
        var what = failure.Stage switch
        {
            MigrationFailureStage.Backup => $"The backup failed, so nothing was applied: {failure.Error}",
            MigrationFailureStage.SmokeCheck => $"Smoke checks failed after {Request.Operation.ToString().ToLowerInvariant()} {RunPlanner.Versions(Ran)}: {failure.Error}.",
            _ when failure.Statement is not null =>
                $"V{Migration.FormatVersion(failure.Version ?? 0)} ({failure.Description}) {(Request.Operation == MigrationOperation.Up ? "failed" : "down script failed")} at statement {failure.StatementNumber}: {SqlStatements.OneLine(failure.Statement)} ({failure.Error}).",
            _ => $"V{Migration.FormatVersion(failure.Version ?? 0)} ({failure.Description}) failed: {failure.Error}.",
        };
        if (failure.Stage == MigrationFailureStage.Backup)
        {
            return what;
        }

        // A script that runs without a transaction keeps the statements before its failed one, and a failed history row.
        var halfApplied = failure.Stage == MigrationFailureStage.Migration
            && Migrations.FirstOrDefault(m => m.Version == failure.Version) is { } failed
            && !(Request.Operation == MigrationOperation.Up ? failed.UpInTransaction : failed.DownInTransaction);
        if (halfApplied)
        {
            what += " It runs without a transaction: the statements before that one stay applied, and its history row is marked failed; every later run refuses until someone repairs the database and deletes that row.";
        }

        if (UndoFailure is { } undo)
        {
            return $"{what} Undoing the batch failed at V{Migration.FormatVersion(undo.Version ?? 0)} ({undo.Error}): the database is at V{Migration.FormatVersion(To)}, NOT at V{Migration.FormatVersion(From)} where the run started; it needs an operator.";
        }

        var where = $"the database is at V{Migration.FormatVersion(To)}{(halfApplied ? "" : ", where the run started")}.";
        return Undone.Count == 0
            ? $"{what} {(halfApplied ? "" : "Nothing had been applied; ")}{where}"
            : $"{what} Undone: {RunPlanner.Versions(Undone)}; {where}";
    }
}
