using System.Text.Json.Serialization;
using Plant.Core.Audit;
using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Core.Migrations.Smoke;

namespace Plant.Core.Migrations.Runs;

/// <summary>What started a run.</summary>
public enum MigrationTrigger
{
    /// <summary>The <c>MigrateOnSchedule</c> timer (in-process or Cloud Scheduler).</summary>
    Schedule,

    /// <summary>An admin route (<c>POST /api/v1/migrations/apply</c> or <c>/rollback</c>).</summary>
    Http,

    /// <summary>The command line (<c>up</c>, <c>down</c>).</summary>
    Cli,
}

/// <summary>Which way a run goes.</summary>
public enum MigrationOperation
{
    /// <summary>Apply pending migrations.</summary>
    Up,

    /// <summary>Roll applied migrations back with their down scripts.</summary>
    Down,
}

/// <summary>How a run ended.</summary>
public enum MigrationRunOutcome
{
    /// <summary>The migrations ran and the smoke checks passed.</summary>
    Succeeded,

    /// <summary>Nothing was pending (up) or above the target (down).</summary>
    NothingToDo,

    /// <summary>The policy needs an approved plan and none matches: nothing changed.</summary>
    AwaitingApproval,

    /// <summary>A scheduled run under the manual policy: nothing changed.</summary>
    AwaitingOperator,

    /// <summary>A scheduled run found that this exact plan failed before and does not retry it: nothing changed.</summary>
    NotRetried,

    /// <summary>The history failed validation (a changed checksum, a failed row...), or the batch could not be rolled back: nothing changed.</summary>
    Refused,

    /// <summary>The backup, a migration or a smoke check failed; <see cref="MigrationRunReport.Failure"/> says which.</summary>
    Failed,

    /// <summary>Another run held the migration lock; this run did nothing and is not recorded.</summary>
    Busy,

    /// <summary>
    /// The runner's session ended mid-run (its process was killed, or it lost the database) before it recorded an
    /// outcome; the next run records it. What it changed is what the history says: a batch in a transaction was
    /// rolled back with the session.
    /// </summary>
    Interrupted,
}

/// <summary>Where a failed run failed.</summary>
public enum MigrationFailureStage
{
    /// <summary>Before anything was applied.</summary>
    Backup,

    /// <summary>A migration script; the batch was rolled back.</summary>
    Migration,

    /// <summary>A smoke check after the batch; the batch was rolled back.</summary>
    SmokeCheck,

    /// <summary>Undoing the batch after a failure failed (<see cref="MigrationRunReport.UndoFailure"/>): the database is not at the version the run started from.</summary>
    Undo,
}

/// <summary>A migration as a plan or report lists it.</summary>
public sealed record PlannedMigration(int Version, string Description, string Checksum);

/// <summary>Why a run failed: the stage, and for a script the migration, the statement and PostgreSQL's error.</summary>
public sealed record MigrationFailure(MigrationFailureStage Stage, int? Version, string? Description, string? Statement, int? StatementNumber, string Error);

/// <summary>
/// The record of one run of the migration pipeline: stored in <c>plant_migrations.runs</c>, returned by the routes
/// and printed by the command line.
/// </summary>
/// <remarks>
/// Source-generated metadata sets every init-only property, a missing one to its type's default (dotnet/runtime#84484):
/// <see cref="IJsonOnDeserialized.OnDeserialized"/> gives the lists left out of a stored report (an older one, say)
/// their empty default again.
/// </remarks>
public sealed record MigrationRunReport : IJsonOnDeserialized
{
    private IReadOnlyList<PlannedMigration> _migrations = [];
    private IReadOnlyList<DroppedTable> _drops = [];
    private IReadOnlyList<int> _ran = [];
    private IReadOnlyList<int> _undone = [];
    private IReadOnlyList<SmokeCheckResult> _smokeChecks = [];

    public required Guid RunId { get; init; }

    public required MigrationTrigger Trigger { get; init; }

    public required MigrationOperation Operation { get; init; }

    public required MigrationRunOutcome Outcome { get; init; }

    public required PlantEnvironment Environment { get; init; }

    public required MigrationPolicy Policy { get; init; }

    /// <summary>Who asked: the timer, an operator's name from the command line, the admin route.</summary>
    public required string RequestedBy { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The database's version when the run took the lock.</summary>
    public required int FromVersion { get; init; }

    /// <summary>The database's version when the run released the lock.</summary>
    public required int ToVersion { get; init; }

    /// <summary>The version the run was going to, when it got that far.</summary>
    public int? TargetVersion { get; init; }

    /// <summary>The plan's checksum (<see cref="MigrationPlan.Checksum"/>), for runs with something to do.</summary>
    public string? PlanChecksum { get; init; }

    /// <summary>The migrations the run was to apply (up) or roll back (down), in the order it would run them.</summary>
    public IReadOnlyList<PlannedMigration> Migrations { get => _migrations; init => _migrations = value; }

    /// <summary>The tables the plan drops, with the rows they held before anything ran.</summary>
    public IReadOnlyList<DroppedTable> Drops { get => _drops; init => _drops = value; }

    /// <summary>The versions whose scripts ran, in order: up scripts for an up run, down scripts for a down run.</summary>
    public IReadOnlyList<int> Ran { get => _ran; init => _ran = value; }

    /// <summary>
    /// The versions the run undid after a failure, in order: down scripts after an up run, up scripts again after
    /// a down run. After a failure they are <see cref="Ran"/> in reverse, unless undoing failed too.
    /// </summary>
    public IReadOnlyList<int> Undone { get => _undone; init => _undone = value; }

    /// <summary>The approval the run used up, if any.</summary>
    public Guid? ApprovalId { get; init; }

    /// <summary>The backup taken before the scripts ran, if any.</summary>
    public BackupResult? Backup { get; init; }

    /// <summary>Every smoke check, in the order it ran.</summary>
    public IReadOnlyList<SmokeCheckResult> SmokeChecks { get => _smokeChecks; init => _smokeChecks = value; }

    /// <summary>Why the run failed, for <see cref="MigrationRunOutcome.Failed"/>.</summary>
    public MigrationFailure? Failure { get; init; }

    /// <summary>
    /// Set when undoing the batch after a failure failed too: the database is then at <see cref="ToVersion"/>, not
    /// at <see cref="FromVersion"/>, and needs an operator.
    /// </summary>
    public MigrationFailure? UndoFailure { get; init; }

    /// <summary>One paragraph for people: what happened, and for a failure where and why.</summary>
    public required string Message { get; init; }

    /// <summary>The run's entry in the audit trail (docs/AUDIT.md), when it has one.</summary>
    public AuditEntry? AuditEntry { get; init; }

    /// <summary>Why the run has no audit entry although the pipeline keeps one (no audit trail at this schema version, or the append failed).</summary>
    public string? AuditProblem { get; init; }

    /// <summary>True for the outcomes that count as a failed run (the timer reports them as failed, the command line exits 1).</summary>
    [JsonIgnore]
    public bool IsFailure => Outcome is MigrationRunOutcome.Failed or MigrationRunOutcome.Refused;

    void IJsonOnDeserialized.OnDeserialized()
    {
        _migrations ??= [];
        _drops ??= [];
        _ran ??= [];
        _undone ??= [];
        _smokeChecks ??= [];
    }
}
