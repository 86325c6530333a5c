using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Catalog;

namespace Plant.Agents.Wire;

// The JSON of the agent routes. Mapped by hand from Plant.Core's views, so that a change in the core cannot change
// the API by accident.

public sealed record RefDto(Guid Id, string? Name);

public sealed record SkillRefDto(Guid Id, string Name, string Category);

public sealed record IndustryRefDto(Guid Id, string? Name, string? Code);

public sealed record JobRoleRefDto(Guid Id, string? Name, string? Seniority);

public sealed record CertificationDto(string Status, DateTimeOffset? CertifiedAt, string? CertificateId)
{
    public static CertificationDto From(Certification certification) =>
        new(certification.Status, certification.CertifiedAt, certification.CertificateId);
}

public sealed record PriceDto(decimal PerHour, string Currency);

public sealed record AgentDto(
    Guid Id,
    string Name,
    string Description,
    string Status,
    string Availability,
    PriceDto Price,
    IndustryRefDto Industry,
    JobRoleRefDto? JobRole,
    RefDto? Team,
    IReadOnlyList<SkillRefDto> Skills,
    CertificationDto Certification,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Tags)
{
    public static AgentDto From(AgentView agent) => new(
        agent.Id,
        agent.Name,
        agent.Description,
        agent.Status,
        agent.Availability,
        new PriceDto(agent.PricePerHour, agent.Currency),
        new IndustryRefDto(agent.Industry.Id, agent.Industry.Name, agent.Industry.Code),
        agent.JobRole is { } role ? new JobRoleRefDto(role.Id, role.Name, role.Seniority) : null,
        agent.Team is { } team ? new RefDto(team.Id, team.Name) : null,
        [.. agent.Skills.Select(s => new SkillRefDto(s.Id, s.Name, s.Category))],
        CertificationDto.From(agent.Certification),
        agent.Version,
        agent.CreatedAt,
        agent.UpdatedAt,
        agent.Tags);
}

public sealed record SearchHitDto(double Score, AgentDto Agent);

public sealed record SearchResultDto(IReadOnlyList<SearchHitDto> Items)
{
    public static SearchResultDto From(AgentSearchResult result) =>
        new([.. result.Hits.Select(h => new SearchHitDto(Math.Round(h.Score, 6), AgentDto.From(h.Agent)))]);
}
