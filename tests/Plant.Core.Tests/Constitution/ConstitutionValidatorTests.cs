using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Seed;
using Xunit;
using static Plant.Core.Tests.Constitution.Baseline;

namespace Plant.Core.Tests.Constitution;

public sealed class ConstitutionValidatorTests
{
    public static TheoryData<string> BaselineNames => [.. GenesisBaselineDrafts.All.Select(e => $"{e.Draft.EntityType.SchemaName()}:{e.Draft.Name}")];

    [Theory]
    [MemberData(nameof(BaselineNames))]
    public void Every_baseline_entity_passes_every_rule_without_a_warning(string name)
    {
        var entry = GenesisBaselineDrafts.All.Single(e => $"{e.Draft.EntityType.SchemaName()}:{e.Draft.Name}" == name);

        var report = ConstitutionValidator.Validate(entry.Draft, GenesisBaselineDrafts.CertifiedFacts);

        Assert.Empty(report.Violations);
        Assert.Same(ValidationReport.Clean, report);
    }

    [Fact]
    public void The_baseline_has_every_entity_of_the_seed()
    {
        var counts = GenesisBaselineDrafts.All.CountBy(e => e.Draft.EntityType).ToDictionary();

        Assert.Equal(
            new Dictionary<EntityType, int> { [EntityType.Industry] = 3, [EntityType.Skill] = 19, [EntityType.JobRole] = 10, [EntityType.Team] = 6, [EntityType.Agent] = 50 },
            counts);
        Assert.Equal(88, GenesisBaselineDrafts.All.Select(e => e.EntityId).Distinct().Count());
    }

    [Fact]
    public void A_draft_breaking_many_rules_gets_every_violation_in_one_report()
    {
        var unknownSkill = Guid.Parse("0b5d3c1e-7f00-4a4e-9a53-000000000002");
        var draft = Agent with
        {
            Name = " x",
            Description = "Mail me at a@b.co",
            Tags = ["ok", "OK", ""],
            Attributes = Json("""{"token": "AKIAIOSFODNN7EXAMPLE", "phone": "+1 415 555 0123"}"""),
            IndustryId = null,
            JobRoleId = Id(EntityType.JobRole, "Fraud Analyst"),
            TeamId = Guid.Parse("0b5d3c1e-7f00-4a4e-9a53-000000000003"),
            SkillIds = [unknownSkill, unknownSkill],
            Availability = "sometimes",
            PricePerHour = -1m,
            Currency = "usd",
        };

        var report = ConstitutionValidator.Validate(draft, Facts.WithNameTaken(true));

        Assert.False(report.Valid);
        Assert.Equal(
            [
                ("L0-NAME-002", "name"), ("L0-NAME-005", "name"),
                ("L0-DESC-002", "description"), ("L0-PII-001", "description"),
                ("L0-META-003", "tags[1]"), ("L0-META-002", "tags[2]"),
                ("L0-SECRET-001", "attributes.token"), ("L0-PII-002", "attributes.phone"),
                ("L0-REF-001", "skillIds[1]"),
                ("L1-AGENT-001", "industryId"),
                ("L1-AGENT-005", "skillIds"), ("L1-AGENT-005", "skillIds"), ("L1-AGENT-005", "skillIds"),
                ("L1-AGENT-006", "skillIds[0]"), ("L1-AGENT-006", "skillIds[1]"),
                ("L1-AGENT-008", "teamId"),
                ("L1-AGENT-010", "availability"), ("L1-AGENT-011", "pricePerHour"), ("L1-AGENT-012", "currency"),
            ],
            report.Violations.Select(v => (v.RuleId, v.Field)).ToList());
    }

    [Fact]
    public void A_job_role_with_several_problems_gets_them_all()
    {
        var draft = JobRole with
        {
            Name = "",
            Description = "",
            Seniority = "guru",
            IndustryId = Id(EntityType.Skill, "Fraud Detection"),
            RequiredSkillIds = [],
        };

        var report = ConstitutionValidator.Validate(draft, Facts);

        Assert.Equal(
            ["L0-NAME-001", "L0-DESC-001", "L1-JOBROLE-001", "L1-JOBROLE-002", "L1-JOBROLE-005"],
            report.Violations.Select(v => v.RuleId).ToList());
        Assert.Contains("is a skill, not a industry", report.Violations[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_alone_leave_a_draft_valid()
    {
        var report = ConstitutionValidator.Validate(Agent with { Tags = ["a", "A"] }, Facts);

        var warning = Assert.Single(report.Violations);
        Assert.Equal((Severity.Warning, "L0-META-003"), (warning.Severity, warning.RuleId));
        Assert.True(report.Valid);
    }

    [Fact]
    public void A_violation_never_quotes_the_secret_it_found()
    {
        const string secret = "sk-proj-Abc123def456GHI789jkl012";
        var report = ConstitutionValidator.Validate(Agent with { Description = $"Uses the key {secret} to call the model service.", Tags = [secret] }, Facts);

        Assert.Equal(["L0-SECRET-001", "L0-SECRET-001"], report.Violations.Select(v => v.RuleId).ToList());
        Assert.All(report.Violations, v => Assert.DoesNotContain("sk-proj", v.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void References_say_whether_they_are_missing_of_another_type_or_out_of_service()
    {
        var skill = Id(EntityType.Skill, "Fraud Detection");
        var missing = Guid.Parse("0b5d3c1e-7f00-4a4e-9a53-000000000004");
        var draft = JobRole with { RequiredSkillIds = [skill, missing, Id(EntityType.Agent, "Sentinel")] };

        var report = ConstitutionValidator.Validate(draft, FactsWith(skill, LifecycleStatus.Retired, CertificationStatus.Certified));

        Assert.Equal(
            [
                ("L1-JOBROLE-004", $"The skill {skill} is retired."),
                ("L1-JOBROLE-003", $"No current skill has the id {missing}."),
                ("L1-JOBROLE-003", $"The id {Id(EntityType.Agent, "Sentinel")} is a agent, not a skill."),
            ],
            report.Violations.Select(v => (v.RuleId, v.Message[(v.Message.IndexOf('.', StringComparison.Ordinal) + 2)..])).ToList());
    }

    [Fact]
    public void Without_facts_every_reference_is_missing_but_the_text_rules_still_run()
    {
        var report = ConstitutionValidator.Validate(Agent, ReferenceFacts.None);

        Assert.Equal(
            ["L1-AGENT-001", "L1-AGENT-003", "L1-AGENT-006", "L1-AGENT-006", "L1-AGENT-006", "L1-AGENT-006", "L1-AGENT-008"],
            report.Violations.Select(v => v.RuleId).ToList());
        Assert.Empty(ConstitutionValidator.Validate(Skill, ReferenceFacts.None).Violations);
    }

    [Fact]
    public void A_passing_draft_allocates_nothing()
    {
        Assert.Equal(0, AllocatedPerValidation(Agent));
        Assert.Equal(0, AllocatedPerValidation(JobRole));
        Assert.Equal(0, AllocatedPerValidation(Team));

        // Clean attributes are checked in one pass over their raw text, nested or not.
        var nested = Agent with { Attributes = Json("""{"source": "genesis-baseline", "sla": {"hours": 24}, "languages": ["en", "fr"]}""") };
        Assert.Equal(0, AllocatedPerValidation(nested));
    }

    private static long AllocatedPerValidation(EntityDraft draft)
    {
        var facts = Facts;
        for (var i = 0; i < 100; i++)
        {
            ConstitutionValidator.Validate(draft, facts);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ConstitutionValidator.Validate(draft, facts);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
    }
}
