using Plant.Core.Catalog;

namespace Plant.Core.Agents;

/// <summary>A skill an agent has.</summary>
public sealed record SkillRef(Guid Id, string Name, string Category);

/// <summary>The industry an agent works in; the name is null only if the industry has no current version.</summary>
public sealed record IndustryRef(Guid Id, string? Name, string? Code);

/// <summary>The job role an agent holds.</summary>
public sealed record JobRoleRef(Guid Id, string? Name, string? Seniority);

/// <summary>
/// An agent as queries return it: the current version with what it refers to resolved to current names.
/// </summary>
/// <remarks>
/// <see cref="AgentView.Id"/> is the entity id (stable across versions); <see cref="AgentView.Status"/> the listing status
/// (<see cref="AgentListingStatus"/>, lower case) and <see cref="AgentView.Lifecycle"/> the version's lifecycle status
/// (draft, active, suspended, retired); <see cref="AgentView.Version"/> the version number (1 for the first);
/// <see cref="AgentView.CreatedAt"/> when the agent entered the catalog and <see cref="AgentView.UpdatedAt"/> when the
/// current version last changed (amendment, certification, lifecycle).
/// </remarks>
public sealed record AgentView(
    Guid Id,
    string Name,
    string Description,
    string Status,
    string Lifecycle,
    string Availability,
    decimal PricePerHour,
    string Currency,
    IndustryRef Industry,
    JobRoleRef? JobRole,
    EntityRef? Team,
    IReadOnlyList<SkillRef> Skills,
    Certification Certification,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Tags);

/// <summary>
/// One page of agents; <see cref="AgentPage.NextCursor"/> is where the next page starts (null on the last page) and
/// <see cref="AgentPage.CatalogVersion"/> the catalog change marker read before the page (for ETags).
/// </summary>
public sealed record AgentPage(IReadOnlyList<AgentView> Items, string? NextCursor, long CatalogVersion);
