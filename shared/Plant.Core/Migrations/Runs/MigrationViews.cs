using Plant.Core.Configuration;

namespace Plant.Core.Migrations.Runs;

/// <summary>What a scheduled run would do with a plan now.</summary>
public enum ScheduledVerdict
{
    /// <summary>Nothing is pending.</summary>
    NothingToDo,

    /// <summary>The policy is auto: it would apply the plan.</summary>
    Apply,

    /// <summary>An open approval matches the plan: it would apply it.</summary>
    ApplyApproved,

    /// <summary>The policy needs an approval and none matches.</summary>
    AwaitApproval,

    /// <summary>The policy is manual: an operator applies.</summary>
    AwaitOperator,

    /// <summary>A rollback: scheduled runs only go up.</summary>
    Never,
}

/// <summary>The migration state for <c>GET /api/v1/migrations</c>.</summary>
public sealed record MigrationOverview(
    PlantEnvironment Environment,
    MigrationPolicy Policy,
    string Schedule,
    int CurrentVersion,
    int LatestVersion,
    IReadOnlyList<AppliedMigration> History,
    IReadOnlyList<PlannedMigration> Pending,
    string? PlanChecksum,
    IReadOnlyList<string> Problems,
    IReadOnlyList<MigrationApproval> Approvals,
    IReadOnlyList<MigrationRunReport> RecentRuns);

/// <summary>A plan with the policy's verdict on it, for <c>POST /api/v1/migrations/plan</c> and the <c>plan</c> command.</summary>
/// <param name="Plan">The migrations to the target, with their scripts.</param>
/// <param name="Policy">The environment's policy.</param>
/// <param name="Verdict">What a scheduled run would do with it.</param>
/// <param name="Drops">The tables its scripts drop, with their rows now.</param>
/// <param name="ApprovalRequired">Whether a run of it needs an approval.</param>
/// <param name="Approval">The open approval that matches it, if one is required and exists.</param>
public sealed record MigrationPlanPreview(
    MigrationPlan Plan, MigrationPolicy Policy, ScheduledVerdict Verdict, IReadOnlyList<DroppedTable> Drops, bool ApprovalRequired, MigrationApproval? Approval);
