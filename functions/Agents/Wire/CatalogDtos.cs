using Plant.Core.Catalog;

namespace Plant.Agents.Wire;

// The JSON of the catalog routes, mapped by hand from Plant.Core's views.

public sealed record IndustryDto(Guid Id, string Name, string Description, string? Code, CertificationDto Certification, int Version)
{
    public static IndustryDto From(IndustryView v) => new(v.Id, v.Name, v.Description, v.Code, CertificationDto.From(v.Certification), v.Version);
}

public sealed record SkillDto(Guid Id, string Name, string Description, string Category, CertificationDto Certification, int Version)
{
    public static SkillDto From(SkillView v) => new(v.Id, v.Name, v.Description, v.Category, CertificationDto.From(v.Certification), v.Version);
}

public sealed record JobRoleDto(
    Guid Id,
    string Name,
    string Description,
    string Seniority,
    RefDto Industry,
    IReadOnlyList<RefDto> RequiredSkills,
    CertificationDto Certification,
    int Version)
{
    public static JobRoleDto From(JobRoleView v) => new(
        v.Id, v.Name, v.Description, v.Seniority, new RefDto(v.Industry.Id, v.Industry.Name),
        [.. v.RequiredSkills.Select(s => new RefDto(s.Id, s.Name))], CertificationDto.From(v.Certification), v.Version);
}

public sealed record TeamDto(
    Guid Id,
    string Name,
    string Description,
    RefDto JobRole,
    IReadOnlyList<RefDto> Members,
    CertificationDto Certification,
    int Version)
{
    public static TeamDto From(TeamView v) => new(
        v.Id, v.Name, v.Description, new RefDto(v.JobRole.Id, v.JobRole.Name),
        [.. v.Members.Select(m => new RefDto(m.Id, m.Name))], CertificationDto.From(v.Certification), v.Version);
}
