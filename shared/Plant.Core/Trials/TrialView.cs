namespace Plant.Core.Trials;

/// <summary>
/// A trial as the API shows it. <see cref="TrialView.Status"/> is <c>active</c>, <c>ended</c> (its end has passed),
/// or <c>cancelled</c>; <see cref="TrialView.CustomerId"/> is the portal's own customer id, the only personal data kept.
/// </summary>
public sealed record TrialView(
    Guid Id,
    Guid AgentId,
    string CustomerId,
    string Status,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset? CancelledAt,
    int Version);

/// <summary>What a start request came to.</summary>
public abstract record StartTrialResult
{
    private StartTrialResult()
    {
    }

    /// <summary>A trial: new, or (<see cref="Replayed"/>) the one an earlier request with the same Idempotency-Key made.</summary>
    public sealed record Started(TrialView Trial, bool Replayed) : StartTrialResult;

    /// <summary>No agent has this id.</summary>
    public sealed record UnknownAgent : StartTrialResult;

    /// <summary>The agent is not active and certified (suspended, retired, draft, pending or rejected).</summary>
    public sealed record AgentUnavailable(string Lifecycle, string Certification) : StartTrialResult;

    /// <summary>The customer already has an active trial of this agent.</summary>
    public sealed record AlreadyActive(Guid TrialId) : StartTrialResult;

    /// <summary>The Idempotency-Key was used before for another request (another agent or customer).</summary>
    public sealed record KeyReused : StartTrialResult;
}

/// <summary>What a cancel request came to.</summary>
public abstract record CancelTrialResult
{
    private CancelTrialResult()
    {
    }

    /// <summary>Cancelled now, or (<see cref="AlreadyCancelled"/>) before: cancelling twice is not an error.</summary>
    public sealed record Cancelled(TrialView Trial, bool AlreadyCancelled) : CancelTrialResult;

    /// <summary>The trial has ended already; there is nothing to cancel.</summary>
    public sealed record Ended(TrialView Trial) : CancelTrialResult;

    /// <summary>No trial has this id.</summary>
    public sealed record NotFound : CancelTrialResult;
}
