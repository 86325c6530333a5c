namespace Plant.Core.Migrations.Runs;

/// <summary>Whether an approval can still be used.</summary>
public enum ApprovalState
{
    /// <summary>Not used and not expired.</summary>
    Open,

    /// <summary>A run used it; it cannot be used again.</summary>
    Used,

    /// <summary>Its lifetime has passed unused.</summary>
    Expired,
}

/// <summary>
/// An operator's approval of one exact plan, up or down: the target version and the plan's checksum. It expires, and
/// the run that applies it uses it up, whatever that run's outcome.
/// </summary>
public sealed record MigrationApproval(
    Guid Id,
    MigrationOperation Operation,
    int TargetVersion,
    string PlanChecksum,
    IReadOnlyList<int> Versions,
    string ApprovedBy,
    string? Note,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    Guid? UsedByRun)
{
    /// <summary>The approval's state at a moment.</summary>
    public ApprovalState StateAt(DateTimeOffset now) =>
        UsedAt is not null ? ApprovalState.Used : ExpiresAt <= now ? ApprovalState.Expired : ApprovalState.Open;
}

/// <summary>What an operator approves: the plan to a target (the latest when null; a rollback when below the database's version), as they reviewed it.</summary>
/// <param name="TargetVersion">The version the plan ends at; the latest when null.</param>
/// <param name="PlanChecksum">The checksum of the plan the operator reviewed; when given it must be the current plan's.</param>
/// <param name="ApprovedBy">Who approves (a name; the master key says nothing about the person).</param>
/// <param name="Note">Why, or a change ticket; optional.</param>
public sealed record ApprovalRequest(int? TargetVersion, string? PlanChecksum, string ApprovedBy, string? Note)
{
    /// <summary>How long to wait for a run in progress; zero tries once.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;

    /// <summary>Who the audit trail names as having approved: the caller's identity ("master"); <see cref="ApprovedBy"/> when null.</summary>
    public string? Actor { get; init; }
}
