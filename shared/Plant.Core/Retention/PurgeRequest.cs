namespace Plant.Core.Retention;

/// <summary>What one purge run is asked to do.</summary>
public sealed record PurgeRequest
{
    /// <summary>Count what would go and change nothing: no delete, no checkpoint, no VACUUM, no audit entry.</summary>
    public bool DryRun { get; init; }

    /// <summary>Who asked, as the audit entry records it: "timer" for the schedule, the key identity for the admin route.</summary>
    public required string Actor { get; init; }

    /// <summary>Explicit cutoffs instead of the environment's retention from the clock (tests, an operator's one-off).</summary>
    public PurgeCutoffs? Cutoffs { get; init; }
}
