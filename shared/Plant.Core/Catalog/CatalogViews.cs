namespace Plant.Core.Catalog;

/// <summary>Where an entity stands with the constitution: pending, certified or rejected, when, and the certificate.</summary>
public sealed record Certification(string Status, DateTimeOffset? CertifiedAt, string? CertificateId);

/// <summary>Another catalog entity, by id and current name.</summary>
public sealed record EntityRef(Guid Id, string Name);

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
