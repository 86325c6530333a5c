using Plant.Core.Agents;

namespace Plant.Core.Catalog;

/// <summary>An industry of the catalog.</summary>
public sealed record IndustryView(Guid Id, string Name, string Description, string? Code, Certification Certification, int Version);

/// <summary>A skill of the catalog; <see cref="Category"/> is one of <see cref="CatalogQueries.SkillCategories"/>.</summary>
public sealed record SkillView(Guid Id, string Name, string Description, string Category, Certification Certification, int Version);

/// <summary>A job role, its industry and the skills it requires.</summary>
public sealed record JobRoleView(
    Guid Id,
    string Name,
    string Description,
    string Seniority,
    EntityRef Industry,
    IReadOnlyList<EntityRef> RequiredSkills,
    Certification Certification,
    int Version);

/// <summary>A team, the job role its members hold, and its members that queries show (active agents).</summary>
public sealed record TeamView(
    Guid Id,
    string Name,
    string Description,
    EntityRef JobRole,
    IReadOnlyList<EntityRef> Members,
    Certification Certification,
    int Version);

/// <summary>
/// One page of a catalog list; <see cref="CatalogPage{T}.NextCursor"/> is null on the last page and
/// <see cref="CatalogPage{T}.CatalogVersion"/> is the change marker read before the page.
/// </summary>
public sealed record CatalogPage<T>(IReadOnlyList<T> Items, string? NextCursor, long CatalogVersion);
