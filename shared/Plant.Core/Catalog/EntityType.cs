namespace Plant.Core.Catalog;

/// <summary>
/// The catalog entity types that Genesis creates, amends and certifies. Each has a schema name (the value of
/// <c>catalog.entity.entity_type</c>) and a route segment (<c>/api/v1/genesis/{segment}</c>); see <see cref="EntityTypes"/>.
/// </summary>
/// <remarks>Trials are catalog rows too, but they are not drafted or certified, so they have no member here.</remarks>
public enum EntityType
{
    Industry,
    Skill,
    JobRole,
    Team,
    Agent,
}

/// <summary>The schema names and route segments of <see cref="EntityType"/>, and their parsing.</summary>
public static class EntityTypes
{
    /// <summary>Every entity type, in dependency order: an entity refers only to types before it (teams and agents to each other aside).</summary>
    public static IReadOnlyList<EntityType> All { get; } =
        [EntityType.Industry, EntityType.Skill, EntityType.JobRole, EntityType.Team, EntityType.Agent];

    /// <summary>The value of <c>catalog.entity.entity_type</c>: industry, skill, job_role, team, agent.</summary>
    public static string SchemaName(this EntityType type) => type switch
    {
        EntityType.Industry => "industry",
        EntityType.Skill => "skill",
        EntityType.JobRole => "job_role",
        EntityType.Team => "team",
        EntityType.Agent => "agent",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an entity type."),
    };

    /// <summary>The route segment: industries, skills, job-roles, teams, agents.</summary>
    public static string RouteSegment(this EntityType type) => type switch
    {
        EntityType.Industry => "industries",
        EntityType.Skill => "skills",
        EntityType.JobRole => "job-roles",
        EntityType.Team => "teams",
        EntityType.Agent => "agents",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an entity type."),
    };

    /// <summary>A name for people: "industry", "skill", "job role", "team", "agent".</summary>
    public static string DisplayName(this EntityType type) => type switch
    {
        EntityType.JobRole => "job role",
        _ => SchemaName(type),
    };

    /// <summary>Parses a schema name (exact, lower case); false for anything else, trials included.</summary>
    public static bool TryParseSchemaName(string? value, out EntityType type)
    {
        switch (value)
        {
            case "industry": type = EntityType.Industry; return true;
            case "skill": type = EntityType.Skill; return true;
            case "job_role": type = EntityType.JobRole; return true;
            case "team": type = EntityType.Team; return true;
            case "agent": type = EntityType.Agent; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Parses a route segment (exact, lower case).</summary>
    public static bool TryParseRouteSegment(string? value, out EntityType type)
    {
        switch (value)
        {
            case "industries": type = EntityType.Industry; return true;
            case "skills": type = EntityType.Skill; return true;
            case "job-roles": type = EntityType.JobRole; return true;
            case "teams": type = EntityType.Team; return true;
            case "agents": type = EntityType.Agent; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The concrete draft record of a type, for deserialising a body whose type the route gives.</summary>
    public static Type DraftType(this EntityType type) => type switch
    {
        EntityType.Industry => typeof(IndustryDraft),
        EntityType.Skill => typeof(SkillDraft),
        EntityType.JobRole => typeof(JobRoleDraft),
        EntityType.Team => typeof(TeamDraft),
        EntityType.Agent => typeof(AgentDraft),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an entity type."),
    };
}
