using Plant.Core.Catalog;
using static Plant.Core.Constitution.ConstitutionLimits;
using static Plant.Core.Constitution.ConstitutionRules;

namespace Plant.Core.Constitution;

/// <summary>The L1 checks, one method per entity type.</summary>
internal static class TypeRules
{
    public static void CheckIndustry(IndustryDraft draft, ref ViolationCollector violations)
    {
        if (draft.Code is { } code && !IsIndustryCode(code))
        {
            violations.Add(IndustryCode, "code");
        }
    }

    public static void CheckSkill(SkillDraft draft, ref ViolationCollector violations)
    {
        if (!CatalogValues.IsSkillCategory(draft.Category))
        {
            violations.Add(SkillCategory, "category");
        }
    }

    public static void CheckJobRole(JobRoleDraft draft, ReferenceFacts facts, ref ViolationCollector violations)
    {
        if (!CatalogValues.IsSeniority(draft.Seniority))
        {
            violations.Add(JobRoleSeniority, "seniority");
        }

        var skills = draft.RequiredSkillIds ?? [];
        if (skills.Count == 0)
        {
            violations.Add(JobRoleSkillsRequired, "requiredSkillIds");
        }

        ReferenceChecks.CheckList(skills, EntityType.Skill, "requiredSkillIds", JobRoleSkillsExist, JobRoleSkillsCertified, facts, ref violations);
        ReferenceChecks.Check(draft.IndustryId, required: true, EntityType.Industry, "industryId", JobRoleIndustryExists, JobRoleIndustryCertified, facts, ref violations);
    }

    public static void CheckTeam(TeamDraft draft, ReferenceFacts facts, ref ViolationCollector violations)
    {
        ReferenceChecks.Check(draft.JobRoleId, required: true, EntityType.JobRole, "jobRoleId", TeamJobRoleExists, TeamJobRoleCertified, facts, ref violations);

        var members = draft.MemberAgentIds ?? [];
        if (members.Count == 0)
        {
            violations.Add(TeamMembersRequired, "memberAgentIds");
        }

        ReferenceChecks.CheckList(members, EntityType.Agent, "memberAgentIds", TeamMembersExist, TeamMembersCertified, facts, ref violations);

        if (draft.JobRoleId is not { } jobRoleId)
        {
            return;
        }

        var count = Math.Min(members.Count, MaxReferences);
        for (var i = 0; i < count; i++)
        {
            if (facts.TryGet(members[i], out var agent) && agent.Type == EntityType.Agent && agent.JobRoleId != jobRoleId)
            {
                violations.Add(TeamMembersHoldJobRole, ViolationCollector.Element("memberAgentIds", i), $"The agent {agent.Id} holds another job role.");
            }
        }
    }

    public static void CheckAgent(AgentDraft draft, ReferenceFacts facts, ref ViolationCollector violations)
    {
        var industry = ReferenceChecks.Check(draft.IndustryId, required: true, EntityType.Industry, "industryId", AgentIndustryExists, AgentIndustryCertified, facts, ref violations);
        var jobRole = ReferenceChecks.Check(draft.JobRoleId, required: true, EntityType.JobRole, "jobRoleId", AgentJobRoleExists, AgentJobRoleCertified, facts, ref violations);

        var skills = draft.SkillIds ?? [];
        if (jobRole is not null)
        {
            var required = jobRole.RequiredSkillIds;
            for (var i = 0; i < required.Count; i++)
            {
                if (!ReferenceChecks.Contains(skills, required[i]))
                {
                    violations.Add(AgentHasRequiredSkills, "skillIds", $"The job role requires the skill {required[i]}.");
                }
            }
        }

        ReferenceChecks.CheckList(skills, EntityType.Skill, "skillIds", AgentSkillsExist, AgentSkillsCertified, facts, ref violations);
        // The team need not be certified yet: a team is certified only once its members are, so a new team's first
        // agents are certified while it is still a draft (L1-TEAM-005 keeps the team honest).
        var team = ReferenceChecks.Check(
            draft.TeamId, required: false, EntityType.Team, "teamId", AgentTeamExists, AgentTeamInService, facts, ref violations, certificationRequired: false);

        if (!CatalogValues.IsAvailability(draft.Availability))
        {
            violations.Add(AgentAvailability, "availability");
        }

        if (draft.PricePerHour is not { } price)
        {
            violations.Add(AgentPrice, "pricePerHour", "None is given.");
        }
        else if (price < 0 || price > MaxPricePerHour || decimal.Round(price, PriceMaxDecimals) != price)
        {
            violations.Add(AgentPrice, "pricePerHour");
        }

        if (!IsCurrencyCode(draft.Currency))
        {
            violations.Add(AgentCurrency, "currency");
        }

        if (industry is not null && jobRole?.IndustryId is { } roleIndustry && roleIndustry != industry.Id)
        {
            violations.Add(AgentIndustryMatchesJobRole, "industryId", $"The job role belongs to the industry {roleIndustry}.");
        }

        if (jobRole is not null && team?.JobRoleId is { } teamRole && teamRole != jobRole.Id)
        {
            violations.Add(AgentTeamMatchesJobRole, "teamId", $"The team does the job role {teamRole}.");
        }
    }

    /// <summary><c>catalog.industry.code</c>'s CHECK: <c>^[A-Z0-9_-]{1,32}$</c>.</summary>
    private static bool IsIndustryCode(string code)
    {
        if (code.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>catalog.agent.currency</c>'s CHECK: <c>^[A-Z]{3}$</c>.</summary>
    private static bool IsCurrencyCode(string? currency) =>
        currency is { Length: 3 } && char.IsAsciiLetterUpper(currency[0]) && char.IsAsciiLetterUpper(currency[1]) && char.IsAsciiLetterUpper(currency[2]);
}
