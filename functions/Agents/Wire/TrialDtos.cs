using Plant.Core.Trials;

namespace Plant.Agents.Wire;

/// <summary>The body of <c>POST /api/v1/trials</c>; unknown or missing members are a 400 (the host's binder).</summary>
public sealed record StartTrialRequest(Guid AgentId, TrialCustomer Customer);

/// <summary>The customer: the portal's id (kept) and e-mail address (checked, not kept: docs/AGENTS.md).</summary>
public sealed record TrialCustomer(string Id, string Email);

public sealed record TrialCustomerDto(string Id);

public sealed record TrialDto(
    Guid Id,
    Guid AgentId,
    TrialCustomerDto Customer,
    string Status,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset? CancelledAt,
    int Version)
{
    public static TrialDto From(TrialView t) =>
        new(t.Id, t.AgentId, new TrialCustomerDto(t.CustomerId), t.Status, t.StartsAt, t.EndsAt, t.CancelledAt, t.Version);
}
