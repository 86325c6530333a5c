using System.Text.Json;
using Plant.Core.Catalog;
using Plant.Core.Constitution;

namespace Plant.Core.Seed;

/// <summary>A baseline entity as Genesis receives it: its deterministic id (<see cref="SeedIds"/>) and its draft.</summary>
public sealed record BaselineEntry(Guid EntityId, EntityDraft Draft);

/// <summary>
/// The Genesis baseline (<see cref="GenesisBaseline"/>) as drafts, with the ids, tags and attributes that
/// <see cref="CatalogSeeder"/> writes, so that the seed can go through Genesis and every rule can be checked
/// against the data every database starts with.
/// </summary>
/// <remarks>
/// Teams and agents refer to each other (a team lists its members, a member names its team), so no order creates
/// them all with every reference already certified: Genesis can seed agents without their team first, then the
/// teams, then amend the agents to name their team.
/// </remarks>
public static class GenesisBaselineDrafts
{
    /// <summary>The tag of every baseline entity.</summary>
    public const string Tag = "genesis-baseline";

    private static readonly JsonElement s_attributes = JsonElement.Parse("""{"source": "genesis-baseline"}""");

    /// <summary>Every baseline entity: industries, skills, job roles, teams, agents, in the baseline's order within each.</summary>
    public static IReadOnlyList<BaselineEntry> All { get; } = Build();

    /// <summary>
    /// The facts of a catalog that holds exactly the baseline, active and certified, with no name taken by another
    /// entity: what <see cref="ReferenceFactsQuery"/> answers for a baseline draft on a freshly seeded database.
    /// </summary>
    public static ReferenceFacts CertifiedFacts { get; } = BuildFacts();

    private static List<BaselineEntry> Build()
    {
        var entries = new List<BaselineEntry>();
        foreach (var industry in GenesisBaseline.Industries)
        {
            entries.Add(Entry(EntityType.Industry, new IndustryDraft { Name = industry.Name, Description = industry.Description, Code = industry.Code }));
        }

        foreach (var skill in GenesisBaseline.Skills)
        {
            entries.Add(Entry(EntityType.Skill, new SkillDraft { Name = skill.Name, Description = skill.Description, Category = skill.Category }));
        }

        foreach (var role in GenesisBaseline.JobRoles)
        {
            entries.Add(Entry(EntityType.JobRole, new JobRoleDraft
            {
                Name = role.Name,
                Description = role.Description,
                Seniority = role.Seniority,
                IndustryId = Id(EntityType.Industry, role.Industry),
                RequiredSkillIds = [.. role.RequiredSkills.Select(s => Id(EntityType.Skill, s))],
            }));
        }

        foreach (var team in GenesisBaseline.Teams)
        {
            entries.Add(Entry(EntityType.Team, new TeamDraft
            {
                Name = team.Name,
                Description = team.Description,
                JobRoleId = Id(EntityType.JobRole, team.JobRole),
                MemberAgentIds = [.. GenesisBaseline.Agents.Where(a => a.Team == team.Name).Select(a => Id(EntityType.Agent, a.Name))],
            }));
        }

        foreach (var agent in GenesisBaseline.Agents)
        {
            var role = GenesisBaseline.JobRoles.Single(r => r.Name == agent.JobRole);
            entries.Add(Entry(EntityType.Agent, new AgentDraft
            {
                Name = agent.Name,
                Description = agent.Description,
                IndustryId = Id(EntityType.Industry, role.Industry),
                JobRoleId = Id(EntityType.JobRole, role.Name),
                TeamId = agent.Team is null ? null : Id(EntityType.Team, agent.Team),
                SkillIds = [.. role.RequiredSkills.Concat(agent.ExtraSkills).Distinct().Select(s => Id(EntityType.Skill, s))],
                Availability = agent.Availability,
                PricePerHour = agent.PricePerHour,
                Currency = CatalogValues.DefaultCurrency,
            }));
        }

        return entries;
    }

    private static BaselineEntry Entry(EntityType type, EntityDraft draft) =>
        new(Id(type, draft.Name), draft with { Tags = [Tag], Attributes = s_attributes });

    private static Guid Id(EntityType type, string name) => SeedIds.Entity(type.SchemaName(), name);

    private static ReferenceFacts BuildFacts() => new(
        All.Select(e => new ReferencedEntity(e.EntityId, e.Draft.EntityType, LifecycleStatus.Active, CertificationStatus.Certified)
        {
            IndustryId = e.Draft switch
            {
                JobRoleDraft r => r.IndustryId,
                AgentDraft a => a.IndustryId,
                _ => null,
            },
            JobRoleId = e.Draft switch
            {
                TeamDraft t => t.JobRoleId,
                AgentDraft a => a.JobRoleId,
                _ => null,
            },
            RequiredSkillIds = e.Draft is JobRoleDraft role ? [.. role.RequiredSkillIds.Order()] : [],
        }),
        nameTaken: false);
}
