namespace Plant.Core.Migrations.Runs;

/// <summary>A run the pipeline is asked for.</summary>
public sealed record MigrationRunRequest
{
    public required MigrationOperation Operation { get; init; }

    public required MigrationTrigger Trigger { get; init; }

    /// <summary>Who asks, for the report: <c>schedule</c>, an operator's name, <c>admin api</c>.</summary>
    public required string RequestedBy { get; init; }

    /// <summary>Up: the version to go to (the latest, or the approval's target, when null). Down: required.</summary>
    public int? Target { get; init; }

    /// <summary>Up: the approval to use; without one, a matching open approval is looked for where the policy needs one.</summary>
    public Guid? ApprovalId { get; init; }

    /// <summary>How long to wait for another run's lock before answering <see cref="MigrationRunOutcome.Busy"/>; zero tries once.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;
}
