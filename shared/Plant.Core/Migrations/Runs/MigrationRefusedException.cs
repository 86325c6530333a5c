namespace Plant.Core.Migrations.Runs;

/// <summary>Why the pipeline refused a request without running anything or recording a run.</summary>
public enum MigrationRefusal
{
    /// <summary>Another run holds the migration lock.</summary>
    Busy,

    /// <summary>The history failed validation (a changed checksum, a failed or missing version...).</summary>
    HistoryInvalid,

    /// <summary>The target is not one of this build's versions.</summary>
    UnknownVersion,

    /// <summary>The target does not fit the database's version (up to a version below it, down to one above it or never applied).</summary>
    TargetConflict,

    /// <summary>Nothing is pending up to the target, so there is no plan to approve.</summary>
    NothingToApprove,

    /// <summary>The checksum the operator reviewed is not the current plan's.</summary>
    PlanMismatch,

    /// <summary>The named approval does not exist.</summary>
    ApprovalNotFound,

    /// <summary>The named approval has expired.</summary>
    ApprovalExpired,

    /// <summary>The named approval was used by an earlier run.</summary>
    ApprovalUsed,

    /// <summary>The plan to the approval's target is no longer the plan that was approved.</summary>
    ApprovalPlanChanged,

    /// <summary>The request names a target other than the approval's.</summary>
    ApprovalTargetMismatch,
}

/// <summary>
/// A request the pipeline refused as asked: nothing ran and nothing was recorded. The message says why, names the
/// versions involved, and never holds connection settings.
/// </summary>
public sealed class MigrationRefusedException(MigrationRefusal reason, string message) : Exception(message)
{
    public MigrationRefusal Reason { get; } = reason;
}
