using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Configuration;
using Plant.Core.Constitution;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Core.Tests.Seed;
using Plant.Testing;
using Xunit;
using static Plant.Core.Tests.Constitution.Baseline;

namespace Plant.Core.Tests.Constitution;

/// <summary>A database migrated to the latest version and seeded with the Genesis baseline, shared by a test class.</summary>
public sealed class SeededCatalogFixture() : PostgresDatabaseFixture("constitution")
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestPipeline.Create(DataSource).UpAsync();
        await new CatalogSeeder(DataSource, new TestEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), TestSigningKeys.Ring()).SeedAsync();
    }
}

/// <summary>
/// The facts query against a real seeded catalog. Tests that change rows do it in a transaction they roll back,
/// so the seeded database stays as seeded for every test.
/// </summary>
public sealed class ReferenceFactsQueryTests(SeededCatalogFixture database) : IClassFixture<SeededCatalogFixture>
{
    private readonly ReferenceFactsQuery _query = new(database.DataSource);

    public static TheoryData<string> BaselineNames => [.. GenesisBaselineDrafts.All.Select(e => $"{e.Draft.EntityType.SchemaName()}:{e.Draft.Name}")];

    [Theory]
    [MemberData(nameof(BaselineNames))]
    public async Task Every_seeded_entity_as_an_amendment_of_itself_passes_every_rule_with_facts_from_the_database(string name)
    {
        var entry = GenesisBaselineDrafts.All.Single(e => $"{e.Draft.EntityType.SchemaName()}:{e.Draft.Name}" == name);

        var facts = await _query.ResolveAsync(entry.Draft, entry.EntityId, CancellationToken.None);
        var report = ConstitutionValidator.Validate(entry.Draft, facts);

        Assert.Empty(report.Violations);
        Assert.Equal(ReferenceFactsQuery.ReferencedIds(entry.Draft).Order(), facts.Entities.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task The_facts_of_an_agent_are_its_references_as_the_baseline_describes_them()
    {
        var facts = await _query.ResolveAsync(Agent, Id(EntityType.Agent, "Sentinel"), CancellationToken.None);

        // Every fact the database gives equals the one built from the baseline, the job role's required skills included.
        foreach (var entity in facts.Entities)
        {
            Assert.True(Facts.TryGet(entity.Id, out var expected));
            Assert.Equal(
                (expected.Type, expected.Status, expected.Certification, expected.IndustryId, expected.JobRoleId, string.Join(",", expected.RequiredSkillIds)),
                (entity.Type, entity.Status, entity.Certification, entity.IndustryId, entity.JobRoleId, string.Join(",", entity.RequiredSkillIds)));
        }

        Assert.True(facts.TryGet(Id(EntityType.JobRole, "Fraud Analyst"), out var role));
        Assert.Equal(3, role.RequiredSkillIds.Count);
        Assert.True(facts.TryGet(Id(EntityType.Team, "Fraud Response Team"), out var team));
        Assert.Equal(Id(EntityType.JobRole, "Fraud Analyst"), team.JobRoleId);
        Assert.False(facts.NameTaken);
    }

    [Theory]
    [InlineData("Financial Services", null, true)]
    [InlineData("financial SERVICES", null, true)]
    [InlineData("Financial Services", "Financial Services", false)]
    [InlineData("Financial Services", "Healthcare", true)]
    [InlineData("Energy", null, false)]
    public async Task A_name_is_taken_when_another_current_entity_of_the_type_has_it_whatever_the_case(string name, string? amending, bool taken)
    {
        Guid? self = amending is null ? null : Id(EntityType.Industry, amending);

        var facts = await _query.ResolveAsync(Industry with { Name = name }, self, CancellationToken.None);

        Assert.Equal(taken, facts.NameTaken);
        Assert.Equal(taken, ConstitutionValidator.Validate(Industry with { Name = name }, facts).Violations.Any(v => v.RuleId == "L0-NAME-005"));
    }

    [Fact]
    public async Task A_name_used_by_another_type_is_free()
    {
        // "Fraud Analyst" is a job role; as a skill name it is free.
        var facts = await _query.ResolveAsync(Skill with { Name = "Fraud Analyst" }, null, CancellationToken.None);

        Assert.False(facts.NameTaken);
    }

    [Fact]
    public async Task Unknown_ids_are_absent_and_ids_of_another_type_say_their_type()
    {
        var unknown = Guid.Parse("0b5d3c1e-7f00-4a4e-9a53-000000000009");
        var draft = JobRole with { RequiredSkillIds = [unknown, Id(EntityType.Agent, "Sentinel")] };

        var facts = await _query.ResolveAsync(draft, null, CancellationToken.None);

        Assert.False(facts.TryGet(unknown, out _));
        Assert.True(facts.TryGet(Id(EntityType.Agent, "Sentinel"), out var agent));
        Assert.Equal(EntityType.Agent, agent.Type);
        Assert.Equal(
            ["L0-NAME-005", "L1-JOBROLE-003", "L1-JOBROLE-003"],
            ConstitutionValidator.Validate(draft, facts).Violations.Select(v => v.RuleId).ToList());
    }

    [Theory]
    [InlineData("status = 'suspended', suspended_at = now()", "suspended")]
    [InlineData("status = 'retired', retired_at = now()", "retired")]
    [InlineData("certification_status = 'rejected'", "rejected")]
    public async Task A_skill_out_of_service_is_read_with_its_standing_inside_the_callers_transaction(string change, string standing)
    {
        var skill = Id(EntityType.Skill, "Fraud Detection");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand($"update catalog.entity_version set {change} where entity_id = @id and is_current", connection, transaction))
        {
            update.Parameters.AddWithValue("id", skill);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var facts = await ReferenceFactsQuery.ResolveAsync(connection, transaction, JobRole, Id(EntityType.JobRole, "Fraud Analyst"), CancellationToken.None);
        await transaction.RollbackAsync();

        Assert.True(facts.TryGet(skill, out var entity));
        Assert.False(entity.InGoodStanding);
        var violation = Assert.Single(ConstitutionValidator.Validate(JobRole, facts).Violations);
        Assert.Equal(("L1-JOBROLE-004", "requiredSkillIds[0]"), (violation.RuleId, violation.Field));
        Assert.EndsWith($"The skill {skill} is {standing}.", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amended_entity_is_read_at_its_current_version()
    {
        // A second version of the job role that requires one skill only: the facts follow is_current.
        var role = Id(EntityType.JobRole, "Fraud Analyst");
        var onlySkill = Id(EntityType.Skill, "Fraud Detection");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var amend = new NpgsqlCommand("""
            update catalog.entity_version set is_current = false where entity_id = @role and is_current;
            insert into catalog.entity_version (version_id, entity_id, entity_type, name, description, version, supersedes, content_hash, is_current, created_by, updated_by)
            select '00000000-0000-4000-8000-00000000a002', entity_id, entity_type, name, description, 2, version_id, repeat('0', 64), true, 'test', 'test'
            from catalog.entity_version where entity_id = @role and version = 1;
            insert into catalog.job_role (version_id, seniority, industry_id)
            select '00000000-0000-4000-8000-00000000a002', seniority, industry_id from catalog.job_role r
            join catalog.entity_version v on v.version_id = r.version_id where v.entity_id = @role and v.version = 1;
            insert into catalog.job_role_skill (job_role_version_id, skill_id) values ('00000000-0000-4000-8000-00000000a002', @skill);
            """, connection, transaction))
        {
            amend.Parameters.AddWithValue("role", role);
            amend.Parameters.AddWithValue("skill", onlySkill);
            await amend.ExecuteNonQueryAsync();
        }

        var facts = await ReferenceFactsQuery.ResolveAsync(connection, transaction, Agent, Id(EntityType.Agent, "Sentinel"), CancellationToken.None);
        await transaction.RollbackAsync();

        Assert.True(facts.TryGet(role, out var entity));
        Assert.Equal([onlySkill], entity.RequiredSkillIds);
        Assert.Equal((LifecycleStatus.Draft, CertificationStatus.Pending), (entity.Status, entity.Certification));
    }

    [Fact]
    public void Referenced_ids_are_the_drafts_distinct_non_empty_references()
    {
        var skill = Id(EntityType.Skill, "Fraud Detection");
        var draft = Agent with { SkillIds = [skill, skill, Guid.Empty], TeamId = null };

        Assert.Equal(
            new[] { Agent.IndustryId!.Value, Agent.JobRoleId!.Value, skill }.Order(),
            ReferenceFactsQuery.ReferencedIds(draft).Order());
        Assert.Empty(ReferenceFactsQuery.ReferencedIds(Industry));
        Assert.Empty(ReferenceFactsQuery.ReferencedIds(Skill));
    }
}
