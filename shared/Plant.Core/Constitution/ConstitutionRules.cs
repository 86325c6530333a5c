using Plant.Core.Catalog;
using static Plant.Core.Constitution.ConstitutionLimits;

namespace Plant.Core.Constitution;

/// <summary>
/// Every rule of the constitution, each written once. The checks refer to these objects; docs/CONSTITUTION.md
/// explains each one (a test keeps the two in step). L0 rules check every entity, L1 rules one type.
/// </summary>
public static class ConstitutionRules
{
    // L0: names.
    public static Rule NamePresent { get; } = L0("L0-NAME-001", "The name is required.");
    public static Rule NameTrimmed { get; } = L0("L0-NAME-002", "The name must not start or end with white space.");
    public static Rule NameLength { get; } = L0("L0-NAME-003", $"The name must be {NameMinLength} to {NameMaxLength} characters long.");
    public static Rule NameCharacters { get; } = L0("L0-NAME-004", "The name must not contain control or invisible formatting characters.");
    public static Rule NameUnique { get; } = L0("L0-NAME-005", "Another current entity of this type already has this name (compared without regard to case).");

    // L0: descriptions.
    public static Rule DescriptionPresent { get; } = L0("L0-DESC-001", "The description is required.");
    public static Rule DescriptionLength { get; } = L0("L0-DESC-002", $"The description must be {DescriptionMinLength} to {DescriptionMaxLength} characters long.");
    public static Rule DescriptionWords { get; } = L0("L0-DESC-003", $"The description must say what the entity is in at least {DescriptionMinWords} words.");
    public static Rule DescriptionCharacters { get; } = L0("L0-DESC-004", "The description must not contain control or invisible formatting characters other than tabs and line breaks.");

    // L0: personal data and secrets in free text (name, description, tags, attribute keys and values).
    public static Rule NoEmail { get; } = L0("L0-PII-001", "Free text must not contain an email address.");
    public static Rule NoPhone { get; } = L0("L0-PII-002", "Free text must not contain a phone number.");
    public static Rule NoPaymentCard { get; } = L0("L0-PII-003", "Free text must not contain a payment card number.");
    public static Rule NoApiKey { get; } = L0("L0-SECRET-001", "Free text must not contain an API key or access token.");
    public static Rule NoBearerToken { get; } = L0("L0-SECRET-002", "Free text must not contain a bearer token.");
    public static Rule NoPrivateKey { get; } = L0("L0-SECRET-003", "Free text must not contain a private key.");

    // L0: metadata.
    public static Rule TagCount { get; } = L0("L0-META-001", $"An entity has at most {MaxTags} tags.");
    public static Rule TagShape { get; } = L0("L0-META-002", $"A tag must be 1 to {TagMaxLength} characters long, without surrounding white space or control characters.");
    public static Rule TagDistinct { get; } = L0("L0-META-003", "A tag is listed more than once (compared without regard to case).", Severity.Warning);
    public static Rule AttributesObject { get; } = L0("L0-META-004", "Attributes must be a JSON object.");
    public static Rule AttributesSize { get; } = L0("L0-META-005", $"Attributes must take at most {AttributesMaxBytes} bytes as compact JSON.");
    public static Rule AttributesDepth { get; } = L0("L0-META-006", $"Attributes must nest at most {AttributesMaxDepth} levels deep.");
    public static Rule AttributeKeys { get; } = L0("L0-META-007", $"An attribute key must be 1 to {AttributeKeyMaxLength} characters long, without control characters.");

    // L0: reference lists.
    public static Rule ReferenceListShape { get; } = L0("L0-REF-001", $"A list of references holds at most {MaxReferences} ids, each once, none of them the empty id.");

    // L1: industries.
    public static Rule IndustryCode { get; } = L1(EntityType.Industry, "L1-INDUSTRY-001", "An industry code, when given, is 1 to 32 upper-case letters, digits, '_' or '-'.");

    // L1: skills.
    public static Rule SkillCategory { get; } = L1(EntityType.Skill, "L1-SKILL-001", "The category must be one of: " + string.Join(", ", CatalogValues.SkillCategories) + ".");

    // L1: job roles.
    public static Rule JobRoleSeniority { get; } = L1(EntityType.JobRole, "L1-JOBROLE-001", "The seniority must be one of: " + string.Join(", ", CatalogValues.Seniorities) + ".");
    public static Rule JobRoleSkillsRequired { get; } = L1(EntityType.JobRole, "L1-JOBROLE-002", "A job role requires at least one skill.");
    public static Rule JobRoleSkillsExist { get; } = L1(EntityType.JobRole, "L1-JOBROLE-003", "Every required skill must be an existing skill.");
    public static Rule JobRoleSkillsCertified { get; } = L1(EntityType.JobRole, "L1-JOBROLE-004", "Every required skill must be certified, and neither suspended nor retired.");
    public static Rule JobRoleIndustryExists { get; } = L1(EntityType.JobRole, "L1-JOBROLE-005", "A job role belongs to an existing industry.");
    public static Rule JobRoleIndustryCertified { get; } = L1(EntityType.JobRole, "L1-JOBROLE-006", "The job role's industry must be certified, and neither suspended nor retired.");

    // L1: teams.
    public static Rule TeamJobRoleExists { get; } = L1(EntityType.Team, "L1-TEAM-001", "A team has an existing job role.");
    public static Rule TeamJobRoleCertified { get; } = L1(EntityType.Team, "L1-TEAM-002", "The team's job role must be certified, and neither suspended nor retired.");
    public static Rule TeamMembersRequired { get; } = L1(EntityType.Team, "L1-TEAM-003", "A team has at least one member agent.");
    public static Rule TeamMembersExist { get; } = L1(EntityType.Team, "L1-TEAM-004", "Every member must be an existing agent.");
    public static Rule TeamMembersCertified { get; } = L1(EntityType.Team, "L1-TEAM-005", "Every member agent must be certified, and neither suspended nor retired.");
    public static Rule TeamMembersHoldJobRole { get; } = L1(EntityType.Team, "L1-TEAM-006", "Every member agent should hold the team's job role.", Severity.Warning);

    // L1: agents.
    public static Rule AgentIndustryExists { get; } = L1(EntityType.Agent, "L1-AGENT-001", "An agent works in an existing industry.");
    public static Rule AgentIndustryCertified { get; } = L1(EntityType.Agent, "L1-AGENT-002", "The agent's industry must be certified, and neither suspended nor retired.");
    public static Rule AgentJobRoleExists { get; } = L1(EntityType.Agent, "L1-AGENT-003", "An agent has an existing job role.");
    public static Rule AgentJobRoleCertified { get; } = L1(EntityType.Agent, "L1-AGENT-004", "The agent's job role must be certified, and neither suspended nor retired.");
    public static Rule AgentHasRequiredSkills { get; } = L1(EntityType.Agent, "L1-AGENT-005", "An agent has every skill its job role requires.");
    public static Rule AgentSkillsExist { get; } = L1(EntityType.Agent, "L1-AGENT-006", "Every skill must be an existing skill.");
    public static Rule AgentSkillsCertified { get; } = L1(EntityType.Agent, "L1-AGENT-007", "Every skill must be certified, and neither suspended nor retired.");
    public static Rule AgentTeamExists { get; } = L1(EntityType.Agent, "L1-AGENT-008", "The agent's team, when given, must be an existing team.");
    public static Rule AgentTeamInService { get; } = L1(EntityType.Agent, "L1-AGENT-009", "The agent's team, when given, must be neither suspended nor retired.");
    public static Rule AgentAvailability { get; } = L1(EntityType.Agent, "L1-AGENT-010", "The availability must be one of: " + string.Join(", ", CatalogValues.Availabilities) + ".");
    public static Rule AgentPrice { get; } = L1(EntityType.Agent, "L1-AGENT-011", $"The price per hour is required: 0 to {MaxPricePerHour:0.00}, with at most {PriceMaxDecimals} decimal places.");
    public static Rule AgentCurrency { get; } = L1(EntityType.Agent, "L1-AGENT-012", "The currency must be an ISO 4217 code: three upper-case letters.");
    public static Rule AgentIndustryMatchesJobRole { get; } = L1(EntityType.Agent, "L1-AGENT-013", "An agent should work in its job role's industry.", Severity.Warning);
    public static Rule AgentTeamMatchesJobRole { get; } = L1(EntityType.Agent, "L1-AGENT-014", "An agent's team should do the agent's job role.", Severity.Warning);

    /// <summary>Every rule, L0 first, in id order within each group.</summary>
    public static IReadOnlyList<Rule> All { get; } =
    [
        NamePresent, NameTrimmed, NameLength, NameCharacters, NameUnique,
        DescriptionPresent, DescriptionLength, DescriptionWords, DescriptionCharacters,
        NoEmail, NoPhone, NoPaymentCard, NoApiKey, NoBearerToken, NoPrivateKey,
        TagCount, TagShape, TagDistinct, AttributesObject, AttributesSize, AttributesDepth, AttributeKeys,
        ReferenceListShape,
        IndustryCode,
        SkillCategory,
        JobRoleSeniority, JobRoleSkillsRequired, JobRoleSkillsExist, JobRoleSkillsCertified, JobRoleIndustryExists, JobRoleIndustryCertified,
        TeamJobRoleExists, TeamJobRoleCertified, TeamMembersRequired, TeamMembersExist, TeamMembersCertified, TeamMembersHoldJobRole,
        AgentIndustryExists, AgentIndustryCertified, AgentJobRoleExists, AgentJobRoleCertified, AgentHasRequiredSkills,
        AgentSkillsExist, AgentSkillsCertified, AgentTeamExists, AgentTeamInService, AgentAvailability, AgentPrice,
        AgentCurrency, AgentIndustryMatchesJobRole, AgentTeamMatchesJobRole,
    ];

    /// <summary>The rule with this id, or null.</summary>
    public static Rule? Find(string id)
    {
        foreach (var rule in All)
        {
            if (rule.Id == id)
            {
                return rule;
            }
        }

        return null;
    }

    private static Rule L0(string id, string message, Severity severity = Severity.Error) => new(id, severity, null, message);

    private static Rule L1(EntityType type, string id, string message, Severity severity = Severity.Error) => new(id, severity, type, message);
}
