using Plant.Core.Catalog;

namespace Plant.Core.Constitution;

/// <summary>
/// Validates a draft against the constitution: the L0 rules every entity follows and the L1 rules of its type
/// (<see cref="ConstitutionRules"/>). Pure and allocation-light: database facts come in
/// <see cref="ReferenceFacts"/>, resolved beforehand by <see cref="ReferenceFactsQuery"/>; a passing draft
/// allocates nothing.
/// </summary>
public static class ConstitutionValidator
{
    /// <summary>
    /// Every violation of <paramref name="draft"/>, L0 first, then L1 (errors and warnings; never only the first).
    /// </summary>
    /// <param name="draft">The draft to check.</param>
    /// <param name="facts">What the database says about the entities it refers to and about its name; for an
    /// amendment, resolved excluding the entity itself from the name check.</param>
    public static ValidationReport Validate(EntityDraft draft, ReferenceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(facts);

        var violations = new ViolationCollector();
        CommonRules.Check(draft, facts, ref violations);
        switch (draft)
        {
            case IndustryDraft industry:
                TypeRules.CheckIndustry(industry, ref violations);
                break;
            case SkillDraft skill:
                TypeRules.CheckSkill(skill, ref violations);
                break;
            case JobRoleDraft jobRole:
                ReferenceChecks.CheckListShape(jobRole.RequiredSkillIds, "requiredSkillIds", ref violations);
                TypeRules.CheckJobRole(jobRole, facts, ref violations);
                break;
            case TeamDraft team:
                ReferenceChecks.CheckListShape(team.MemberAgentIds, "memberAgentIds", ref violations);
                TypeRules.CheckTeam(team, facts, ref violations);
                break;
            case AgentDraft agent:
                ReferenceChecks.CheckListShape(agent.SkillIds, "skillIds", ref violations);
                TypeRules.CheckAgent(agent, facts, ref violations);
                break;
        }

        return violations.ToReport();
    }
}
