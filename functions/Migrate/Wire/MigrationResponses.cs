using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Core.Migrations.Smoke;

namespace Plant.Migrate.Wire;

/// <summary><c>GET /api/v1/migrations</c>.</summary>
public sealed record MigrationStatusResponse(
    string Environment,
    string Policy,
    string Schedule,
    int CurrentVersion,
    int LatestVersion,
    IReadOnlyList<PendingMigrationResponse> Pending,
    string? PlanChecksum,
    IReadOnlyList<AppliedMigrationResponse> History,
    IReadOnlyList<string> Problems,
    IReadOnlyList<ApprovalResponse> Approvals,
    IReadOnlyList<RunSummaryResponse> LastRuns,
    IReadOnlyList<string> Log);

public sealed record PendingMigrationResponse(int Version, string Description, string Checksum);

public sealed record AppliedMigrationResponse(int Version, string Description, string Checksum, DateTimeOffset AppliedAt, string AppliedBy, int DurationMs, bool Success);

public sealed record ApprovalResponse(
    Guid Id, string Operation, int TargetVersion, string PlanChecksum, IReadOnlyList<int> Versions, string ApprovedBy, string? Note,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string State, DateTimeOffset? UsedAt, Guid? UsedByRun);

public sealed record RunSummaryResponse(
    Guid RunId, string Trigger, string Operation, string Outcome, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int FromVersion, int ToVersion, string Message);

/// <summary><c>POST /api/v1/migrations/plan</c>: the scripts, the tables they drop, and what a run of them needs.</summary>
public sealed record PlanResponse(
    string Operation,
    int FromVersion,
    int TargetVersion,
    string? PlanChecksum,
    string Policy,
    string ScheduledRun,
    bool ApprovalRequired,
    Guid? ApprovalId,
    IReadOnlyList<DroppedTableResponse> Drops,
    IReadOnlyList<PlannedScriptResponse> Migrations);

/// <summary>A table a plan drops, and its rows.</summary>
public sealed record DroppedTableResponse(string Table, long Rows);

/// <summary>A script of a plan: the up script (its checksum, the objects it declares) or the down script (its checksum, no declarations).</summary>
public sealed record PlannedScriptResponse(int Version, string Description, string Checksum, bool InTransaction, IReadOnlyList<string> Expects, string Sql);

/// <summary>A run's report, as the apply and rollback routes answer it (also inside their problems).</summary>
public sealed record RunReportResponse(
    Guid RunId,
    string Trigger,
    string Operation,
    string Outcome,
    string Environment,
    string Policy,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int FromVersion,
    int ToVersion,
    int? TargetVersion,
    string? PlanChecksum,
    IReadOnlyList<PendingMigrationResponse> Migrations,
    IReadOnlyList<DroppedTableResponse> Drops,
    IReadOnlyList<int> Ran,
    IReadOnlyList<int> Undone,
    Guid? ApprovalId,
    BackupResponse? Backup,
    IReadOnlyList<SmokeCheckResponse> SmokeChecks,
    FailureResponse? Failure,
    FailureResponse? UndoFailure,
    string Message,
    AuditEntryResponse? AuditEntry,
    string? AuditProblem);

/// <summary>A run's entry in the audit trail.</summary>
public sealed record AuditEntryResponse(long Sequence, DateTimeOffset OccurredAt, string Hash);

public sealed record BackupResponse(string Kind, string Location, long? SizeBytes, long DurationMs, IReadOnlyList<string> Removed);

public sealed record SmokeCheckResponse(string Name, string Status, string Detail);

public sealed record FailureResponse(string Stage, int? Version, string? Description, int? StatementNumber, string? Statement, string Error);

/// <summary>Maps the core's records to the wire, by hand.</summary>
internal static class MigrationResponses
{
    /// <param name="overview">The pipeline's status.</param>
    /// <param name="log">The migration log's last lines, oldest first, as <see cref="MigrationLogEntry.Render"/> writes them.</param>
    /// <param name="now">For the approvals' state.</param>
    public static MigrationStatusResponse Status(MigrationOverview overview, IReadOnlyList<string> log, DateTimeOffset now) => new(
        MigrationRuns.Name(overview.Environment),
        MigrationRuns.Name(overview.Policy),
        overview.Schedule,
        overview.CurrentVersion,
        overview.LatestVersion,
        [.. overview.Pending.Select(Pending)],
        overview.PlanChecksum,
        [.. overview.History.Select(a => new AppliedMigrationResponse(a.Version, a.Description, a.Checksum, a.AppliedAt, a.AppliedBy, a.DurationMs, a.Success))],
        overview.Problems,
        [.. overview.Approvals.Select(a => Approval(a, now))],
        [.. overview.RecentRuns.Select(r => new RunSummaryResponse(
            r.RunId, MigrationRuns.Name(r.Trigger), MigrationRuns.Name(r.Operation), MigrationRuns.Name(r.Outcome), r.StartedAt, r.FinishedAt, r.FromVersion, r.ToVersion, r.Message))],
        log);

    public static ApprovalResponse Approval(MigrationApproval approval, DateTimeOffset now) => new(
        approval.Id, MigrationRuns.Name(approval.Operation), approval.TargetVersion, approval.PlanChecksum, approval.Versions, approval.ApprovedBy, approval.Note,
        approval.CreatedAt, approval.ExpiresAt, MigrationRuns.Name(approval.StateAt(now)), approval.UsedAt, approval.UsedByRun);

    /// <summary>An up plan lists its up scripts and what they declare; a down plan its down scripts, newest first.</summary>
    public static PlanResponse Plan(MigrationPlanPreview preview)
    {
        var plan = preview.Plan;
        var up = plan.Operation == MigrationOperation.Up;
        return new(
            MigrationRuns.Name(plan.Operation),
            plan.FromVersion,
            plan.TargetVersion,
            plan.IsEmpty ? null : plan.Checksum,
            MigrationRuns.Name(preview.Policy),
            MigrationRuns.Name(preview.Verdict),
            preview.ApprovalRequired,
            preview.Approval?.Id,
            Drops(preview.Drops),
            [.. plan.Migrations.Select(m => up
                ? new PlannedScriptResponse(m.Version, m.Description, m.Checksum, m.UpInTransaction, [.. m.Expects.Select(e => e.ToString())], m.UpSql)
                : new PlannedScriptResponse(m.Version, m.Description, m.DownChecksum!, m.DownInTransaction, [], m.DownSql!))]);
    }

    public static RunReportResponse Run(MigrationRunReport report) => new(
        report.RunId,
        MigrationRuns.Name(report.Trigger),
        MigrationRuns.Name(report.Operation),
        MigrationRuns.Name(report.Outcome),
        MigrationRuns.Name(report.Environment),
        MigrationRuns.Name(report.Policy),
        report.RequestedBy,
        report.StartedAt,
        report.FinishedAt,
        report.FromVersion,
        report.ToVersion,
        report.TargetVersion,
        report.PlanChecksum,
        [.. report.Migrations.Select(Pending)],
        Drops(report.Drops),
        report.Ran,
        report.Undone,
        report.ApprovalId,
        report.Backup is { } b ? new BackupResponse(b.Kind, b.Location, b.SizeBytes, b.DurationMs, b.Removed) : null,
        [.. report.SmokeChecks.Select(c => new SmokeCheckResponse(c.Name, MigrationRuns.Name(c.Status), c.Detail))],
        Failure(report.Failure),
        Failure(report.UndoFailure),
        report.Message,
        report.AuditEntry is { } entry ? new AuditEntryResponse(entry.Sequence, entry.OccurredAt, entry.Hash) : null,
        report.AuditProblem);

    private static IReadOnlyList<DroppedTableResponse> Drops(IReadOnlyList<DroppedTable> drops) => [.. drops.Select(d => new DroppedTableResponse(d.Table, d.Rows))];

    private static PendingMigrationResponse Pending(PlannedMigration m) => new(m.Version, m.Description, m.Checksum);

    private static FailureResponse? Failure(MigrationFailure? failure) => failure is null
        ? null
        : new FailureResponse(MigrationRuns.Name(failure.Stage), failure.Version, failure.Description, failure.StatementNumber, failure.Statement, failure.Error);
}
