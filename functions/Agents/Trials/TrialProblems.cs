namespace Plant.Agents.Trials;

/// <summary>The problem types of the trial routes (docs/PROBLEMS.md).</summary>
internal static class TrialProblems
{
    public const string AgentUnavailable = "agent-unavailable";
    public const string TrialActive = "trial-active";
    public const string TrialEnded = "trial-ended";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
}
