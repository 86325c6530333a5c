namespace Plant.Migrate.Wire;

/// <summary>The plan route's optional body.</summary>
/// <param name="Target">The version to plan to; the latest when left out; a rollback when below the database's version.</param>
public sealed record PlanRequest(int? Target = null);

/// <summary>The apply route's optional body.</summary>
/// <param name="Target">The version to go to; the latest (or the approval's target) when left out.</param>
/// <param name="ApprovalId">The approval to use.</param>
public sealed record ApplyRequest(int? Target = null, Guid? ApprovalId = null);

/// <summary>The approvals route's body.</summary>
/// <param name="PlanChecksum">The checksum of the plan reviewed.</param>
/// <param name="ApprovedBy">Who approves.</param>
/// <param name="Target">The plan's target; the latest when left out; a rollback when below the database's version.</param>
/// <param name="Note">Why, or a change ticket.</param>
public sealed record ApprovalRequestBody(string PlanChecksum, string ApprovedBy, int? Target = null, string? Note = null);

/// <summary>The rollback route's body.</summary>
/// <param name="Target">The version to roll back to; 0 for an empty schema.</param>
/// <param name="ApprovalId">The approval of the rollback's plan, where it needs one (uat, prod).</param>
public sealed record RollbackRequest(int Target, Guid? ApprovalId = null);

/// <summary>The purge route's optional body.</summary>
/// <param name="DryRun">Report what would go and change nothing.</param>
public sealed record PurgeRequestBody(bool? DryRun = null);
