using Microsoft.AspNetCore.Http.HttpResults;
using Plant.Core.Agents;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents.Agents;

/// <summary>The agent filters of <c>/agents</c> and <c>/agents/search</c>, read from the query string.</summary>
internal static class AgentFilterReader
{
    public static readonly IReadOnlyDictionary<string, AgentListingStatus> Statuses = new Dictionary<string, AgentListingStatus>(StringComparer.Ordinal)
    {
        ["active"] = AgentListingStatus.Active,
        ["suspended"] = AgentListingStatus.Suspended,
        ["retired"] = AgentListingStatus.Retired,
        ["draft"] = AgentListingStatus.Draft,
        ["rejected"] = AgentListingStatus.Rejected,
    };

    /// <summary>The filter parameter that takes ids of each type, on these routes and on /job-roles and /teams.</summary>
    private static readonly Dictionary<EntityType, string> s_parameterOfType = new()
    {
        [EntityType.Industry] = "industry",
        [EntityType.Skill] = "skill",
        [EntityType.JobRole] = "jobRole",
        [EntityType.Team] = "team",
    };

    /// <summary>At most this many skills in one filter: more is not a portal's filter but an attempt to make a big query.</summary>
    public const int MaximumSkills = 20;

    public static AgentFilter Read(QueryReader query, string? text = null)
    {
        var skills = query.Guids("skill");
        if (skills.Count > MaximumSkills)
        {
            throw new BadInputException("skill", $"skill is given {skills.Count} times; at most {MaximumSkills} skills can be combined.");
        }

        return new AgentFilter
        {
            Industry = query.Guid("industry"),
            Skills = skills,
            JobRole = query.Guid("jobRole"),
            Team = query.Guid("team"),
            Statuses = ReadStatuses(query),
            Certified = query.Bool("certified"),
            Text = text,
        };
    }

    /// <summary>The 400 for a filter id that names nothing of its type, naming the parameter it came in.</summary>
    public static ProblemHttpResult UnknownReference(UnknownReferenceException e)
    {
        var parameter = s_parameterOfType[e.Type];
        return Problems.BadInput(parameter, $"{parameter} '{e.Id}' names no {e.Type.DisplayName()} in the catalog.");
    }

    /// <summary><c>status</c>, repeatable; active only when absent.</summary>
    public static IReadOnlyList<AgentListingStatus> ReadStatuses(QueryReader query)
    {
        var values = query.Many("status");
        if (values.Count == 0)
        {
            return AgentFilter.DefaultStatuses;
        }

        return [.. values.Select(v => Statuses.TryGetValue(v, out var status)
            ? status
            : throw new BadInputException("status", $"status must be one of {string.Join(", ", Statuses.Keys)}; got '{BadInputException.Shorten(v)}'."))];
    }
}

/// <summary>The agent filters both routes take, as their OpenAPI documents show them.</summary>
internal sealed class AgentFiltersAttribute : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
    [
        new("industry", ParameterLocation.Query, "Only agents of this industry.", typeof(Guid)),
        new("skill", ParameterLocation.Query, $"Only agents with every one of these skills (at most {AgentFilterReader.MaximumSkills}).", typeof(Guid), Repeatable: true),
        new("jobRole", ParameterLocation.Query, "Only agents in this job role.", typeof(Guid)),
        new("team", ParameterLocation.Query, "Only agents in this team.", typeof(Guid)),
        Status,
        new("certified", ParameterLocation.Query, "Only certified agents (true), or only uncertified ones (false).", typeof(bool)),
    ];

    public static ApiParameter Status { get; } = new("status", ParameterLocation.Query,
        "Only agents with one of these listing statuses; active only when absent.", typeof(string), Repeatable: true, Values: [.. AgentFilterReader.Statuses.Keys]);
}

/// <summary><c>status</c> alone, for one agent by id.</summary>
internal sealed class AgentStatusAttribute : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters => [AgentFiltersAttribute.Status];
}
