using System.Text.Json;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Seed;

namespace Plant.Core.Tests.Constitution;

/// <summary>Valid drafts and facts taken from the Genesis baseline, for tests to change one thing at a time.</summary>
internal static class Baseline
{
    public static ReferenceFacts Facts => GenesisBaselineDrafts.CertifiedFacts;

    public static IndustryDraft Industry => Draft<IndustryDraft>(EntityType.Industry, "Financial Services");

    public static SkillDraft Skill => Draft<SkillDraft>(EntityType.Skill, "Fraud Detection");

    public static JobRoleDraft JobRole => Draft<JobRoleDraft>(EntityType.JobRole, "Fraud Analyst");

    public static TeamDraft Team => Draft<TeamDraft>(EntityType.Team, "Fraud Response Team");

    public static AgentDraft Agent => Draft<AgentDraft>(EntityType.Agent, "Sentinel");

    public static Guid Id(EntityType type, string name) => SeedIds.Entity(type.SchemaName(), name);

    public static T Draft<T>(EntityType type, string name)
        where T : EntityDraft =>
        (T)GenesisBaselineDrafts.All.Single(e => e.EntityId == Id(type, name)).Draft;

    /// <summary>The baseline facts with one entity's current version in another state.</summary>
    public static ReferenceFacts FactsWith(Guid id, LifecycleStatus status, CertificationStatus certification) =>
        new(Facts.Entities.Select(e => e.Id == id ? e with { Status = status, Certification = certification } : e), nameTaken: false);

    /// <summary>The baseline facts without one entity, as if it did not exist.</summary>
    public static ReferenceFacts FactsWithout(Guid id) => new(Facts.Entities.Where(e => e.Id != id), nameTaken: false);

    public static JsonElement Json(string json) => JsonElement.Parse(json);
}
