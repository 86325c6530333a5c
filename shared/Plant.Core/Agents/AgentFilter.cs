namespace Plant.Core.Agents;

/// <summary>
/// Where an agent stands for a customer: its lifecycle status, except that an agent whose certification was
/// rejected is <see cref="Rejected"/> whatever its lifecycle says. Queries show <see cref="Active"/> agents unless
/// asked for others, so suspended, retired, draft and rejected agents appear only on request.
/// </summary>
public enum AgentListingStatus
{
    Draft,
    Active,
    Suspended,
    Retired,
    Rejected,
}

/// <summary>The filters of agent queries and searches; all given filters must hold (AND).</summary>
public sealed record AgentFilter
{
    /// <summary>Active agents only: what a query shows when it does not ask for a status.</summary>
    public static IReadOnlyList<AgentListingStatus> DefaultStatuses { get; } = [AgentListingStatus.Active];

    /// <summary>The agent works in this industry (entity id).</summary>
    public Guid? Industry { get; init; }

    /// <summary>The agent has every one of these skills (entity ids).</summary>
    public IReadOnlyList<Guid> Skills { get; init; } = [];

    /// <summary>The agent holds this job role (entity id).</summary>
    public Guid? JobRole { get; init; }

    /// <summary>The agent belongs to this team (entity id; the agent's own team reference).</summary>
    public Guid? Team { get; init; }

    /// <summary>The agent's listing status is one of these; never empty.</summary>
    public IReadOnlyList<AgentListingStatus> Statuses { get; init; } = DefaultStatuses;

    /// <summary>True: certified agents only; false: agents not (yet) certified only; null: either.</summary>
    public bool? Certified { get; init; }

    /// <summary>
    /// A case-insensitive substring of the name or description (list queries only; a search has its own text).
    /// </summary>
    public string? Text { get; init; }

    /// <summary>
    /// The filter as canonical text (sets sorted, defaults spelled out): equal filters give equal text, so that a
    /// cursor can be bound to the filter that produced it.
    /// </summary>
    public string Canonical() =>
        string.Join('|',
            "industry=" + Industry,
            "skills=" + string.Join(',', Skills.Distinct().Order()),
            "jobRole=" + JobRole,
            "team=" + Team,
            "status=" + string.Join(',', Statuses.Distinct().Order()),
            "certified=" + Certified,
            "text=" + Text);
}

/// <summary>The orders of an agent list; each breaks ties by entity id, so that keyset pages are exact.</summary>
public enum AgentSort
{
    /// <summary>By name, A to Z (case-insensitive).</summary>
    Name,

    /// <summary>By name, Z to A.</summary>
    NameDescending,

    /// <summary>Cheapest first (price per hour).</summary>
    Price,

    /// <summary>Most expensive first.</summary>
    PriceDescending,

    /// <summary>Most recently added to the catalog first.</summary>
    Newest,
}
