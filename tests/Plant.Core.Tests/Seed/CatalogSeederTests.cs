using System.Text;
using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Genesis;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Testing;

namespace Plant.Core.Tests.Seed;

/// <summary>The seed against a real PostgreSQL: one migrated database per test.</summary>
public sealed class CatalogSeederTests
{
    private static readonly PlantSettings s_local = PlantSettings.Defaults(PlantEnvironment.Local);
    private static readonly SigningKeyRing s_keys = TestSigningKeys.Ring();

    /// <summary>Every catalog table, with its primary key for ordering.</summary>
    private static readonly (string Table, string OrderBy)[] s_catalogTables =
    [
        ("catalog.entity", "entity_id"),
        ("catalog.entity_version", "version_id"),
        ("catalog.industry", "version_id"),
        ("catalog.skill", "version_id"),
        ("catalog.job_role", "version_id"),
        ("catalog.job_role_skill", "job_role_version_id, skill_id"),
        ("catalog.team", "version_id"),
        ("catalog.team_member", "team_version_id, agent_id"),
        ("catalog.agent", "version_id"),
        ("catalog.agent_skill", "agent_version_id, skill_id"),
        ("catalog.relationship", "version_id, target_id, kind"),
        ("catalog.trial", "version_id"),
        ("catalog.certificate", "certificate_id"),
        ("genesis.audit_entry", "sequence"),
    ];

    /// <summary>Baseline agents that belong to a team: certified without it first, then amended into it (version 2).</summary>
    private static readonly int s_teamAgents = GenesisBaseline.Agents.Count(a => a.Team is not null);

    [Fact]
    public async Task Seeding_writes_3_industries_19_skills_10_job_roles_6_teams_and_50_agents_active_and_certified()
    {
        await using var db = await MigratedDatabaseAsync("seed_counts");

        var result = await new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync();

        Assert.Equal(new SeedCounts(3, 19, 10, 6, 50), result.Inserted);
        Assert.Equal((MigrationSet.Embedded.Latest, 0), (result.SchemaVersion, result.AlreadyPresent));
        Assert.Equal(
            "agent:50 industry:3 job_role:10 skill:19 team:6",
            await db.ScalarAsync<string>("select string_agg(entity_type || ':' || n, ' ' order by entity_type) from (select entity_type, count(*) n from catalog.entity_version where is_current group by entity_type) c"));
        Assert.Equal(
            "active certified 88",
            await db.ScalarAsync<string>("select string_agg(distinct status || ' ' || certification_status, ',') || ' ' || count(*) from catalog.entity_version where is_current"));
        // Every certified version, superseded ones included, has its signed certificate.
        Assert.Equal(88L + s_teamAgents, await db.ScalarAsync<long>("""
            select count(*) from catalog.entity_version v
            join catalog.certificate c on c.version_id = v.version_id and c.certificate_id::text = v.certificate_ref
            where v.certification_status = 'certified'
            """));
        Assert.Equal(88L + s_teamAgents, await db.ScalarAsync<long>("select count(*) from catalog.entity_version"));
    }

    [Fact]
    public async Task Seeded_certificates_are_signed_over_the_versions_content_and_every_step_is_audited()
    {
        await using var db = await MigratedDatabaseAsync("seed_certified");
        await new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync();

        var verifier = new CertificateVerifier(db.DataSource, s_keys);
        var ids = new List<Guid>();
        await using (var command = db.DataSource.CreateCommand("select certificate_id from catalog.certificate"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal(88 + s_teamAgents, ids.Count);
        foreach (var id in ids)
        {
            var verification = await verifier.VerifyStoredAsync(id, CancellationToken.None);
            Assert.True(verification!.Valid, string.Join("; ", verification.Checks.Where(c => !c.Passed).Select(c => c.Detail)));
        }

        Assert.Equal(
            $"entity.amended:{s_teamAgents} entity.certified:{88 + s_teamAgents} entity.created:88",
            await db.ScalarAsync<string>("""
                select string_agg(action || ':' || n, ' ' order by action)
                from (select action, count(*) n from genesis.audit_entry where actor = 'plant-seed' group by action) a
                """));
    }

    [Fact]
    public async Task Every_job_role_requires_existing_skills_and_every_agent_has_what_its_role_requires()
    {
        await using var db = await MigratedDatabaseAsync("seed_refs");
        await new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync();

        // Each job role requires 2 to 4 skills, each a current, active skill.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            select count(*) from catalog.job_role r
            where (select count(*) from catalog.job_role_skill rs
                   join catalog.entity_version s on s.entity_id = rs.skill_id and s.is_current and s.status = 'active'
                   where rs.job_role_version_id = r.version_id) not between 2 and 4
            """));
        // No agent lacks a skill its job role requires.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            select count(*) from catalog.agent a
            join catalog.entity_version rv on rv.entity_id = a.job_role_id and rv.is_current
            join catalog.job_role_skill rs on rs.job_role_version_id = rv.version_id
            where not exists (select 1 from catalog.agent_skill s where s.agent_version_id = a.version_id and s.skill_id = rs.skill_id)
            """));
        // An agent works in its job role's industry; a team's members are its agents and hold its job role.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            select count(*) from catalog.agent a
            join catalog.entity_version rv on rv.entity_id = a.job_role_id and rv.is_current
            join catalog.job_role r on r.version_id = rv.version_id
            where r.industry_id <> a.industry_id
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            select count(*) from catalog.team t
            join catalog.team_member m on m.team_version_id = t.version_id
            join catalog.entity_version av on av.entity_id = m.agent_id and av.is_current
            join catalog.agent a on a.version_id = av.version_id
            join catalog.entity_version tv on tv.version_id = t.version_id
            where a.job_role_id <> t.job_role_id or a.team_id is distinct from tv.entity_id
            """));
        Assert.Equal(
            await db.ScalarAsync<long>("select count(*) from catalog.agent where team_id is not null"),
            await db.ScalarAsync<long>("select count(*) from catalog.team_member"));
    }

    [Fact]
    public async Task Skill_embeddings_come_from_the_injected_embedder()
    {
        await using var db = await MigratedDatabaseAsync("seed_embed");
        var embedder = new TestEmbedder();
        await new CatalogSeeder(db.DataSource, embedder, s_local, s_keys).SeedAsync();

        await using var command = db.DataSource.CreateCommand("""
            select v.name, v.description, s.embedding from catalog.skill s join catalog.entity_version v using (version_id)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            Assert.Equal(TestEmbedder.Embed($"{reader.GetString(0)}: {reader.GetString(1)}"), reader.GetFieldValue<float[]>(2));
        }

        Assert.Equal((19, 1), (rows, embedder.Calls));
    }

    [Fact]
    public async Task Seeding_twice_equals_seeding_once()
    {
        await using var db = await MigratedDatabaseAsync("seed_twice");
        var embedder = new TestEmbedder();
        await new CatalogSeeder(db.DataSource, embedder, s_local, s_keys).SeedAsync();
        var once = await DumpCatalogAsync(db);

        var again = await new CatalogSeeder(db.DataSource, embedder, s_local, s_keys).SeedAsync();

        Assert.Equal((0, 88), (again.Inserted.Total, again.AlreadyPresent));
        Assert.Equal(1, embedder.Calls); // nothing to embed the second time
        Assert.Equal(once, await DumpCatalogAsync(db));
    }

    [Fact]
    public async Task Two_seeders_at_once_write_the_baseline_once()
    {
        await using var db = await MigratedDatabaseAsync("seed_race");

        var results = await Task.WhenAll(
            Task.Run(() => new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync()),
            Task.Run(() => new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync()));

        Assert.Equal([0, 88], results.Select(r => r.Inserted.Total).Order());
        Assert.Equal(88L, await db.ScalarAsync<long>("select count(*) from catalog.entity"));
        Assert.Equal(88L + s_teamAgents, await db.ScalarAsync<long>("select count(*) from catalog.entity_version"));
    }

    [Theory]
    [InlineData(PlantEnvironment.Prod, "prod")]
    [InlineData(PlantEnvironment.Uat, "uat")]
    public async Task Seeding_is_refused_where_the_environment_does_not_allow_it(PlantEnvironment environment, string name)
    {
        await using var db = await MigratedDatabaseAsync("seed_refused");

        var error = await Assert.ThrowsAsync<SeedException>(
            () => new CatalogSeeder(db.DataSource, new TestEmbedder(), PlantSettings.Defaults(environment), s_keys).SeedAsync());

        Assert.Contains($"not allowed in {name}", error.Message, StringComparison.Ordinal);
        Assert.Contains("PLANT_SEED_ALLOWED", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.entity"));
        var line = Assert.Single(await MigrationLog.ReadRecentAsync(db.DataSource, 1));
        Assert.Equal(("seed", false, environment), (line.Operation, line.Success, line.Environment));
    }

    [Fact]
    public async Task Seeding_allowed_in_uat_by_override_runs()
    {
        await using var db = await MigratedDatabaseAsync("seed_uat_override");
        var settings = PlantSettings.Defaults(PlantEnvironment.Uat) with { SeedAllowed = true };

        var result = await new CatalogSeeder(db.DataSource, new TestEmbedder(), settings, s_keys).SeedAsync();

        Assert.Equal(88, result.Inserted.Total);
    }

    [Fact]
    public async Task Seeding_is_refused_while_migrations_are_pending()
    {
        await using var db = await ScratchDatabase.CreateAsync("seed_pending");
        await db.Pipeline().UpAsync(target: 1);

        var error = await Assert.ThrowsAsync<SeedException>(() => new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync());

        Assert.Contains($"V0001 and the seed needs the latest, V{Migration.FormatVersion(MigrationSet.Embedded.Latest)}; run up first", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.entity"));
    }

    [Fact]
    public async Task A_run_writes_a_seed_line_to_the_migration_log()
    {
        await using var db = await MigratedDatabaseAsync("seed_log");

        await new CatalogSeeder(db.DataSource, new TestEmbedder(), PlantSettings.Defaults(PlantEnvironment.Demo), s_keys).SeedAsync();

        var line = Assert.Single(await MigrationLog.ReadRecentAsync(db.DataSource, 1));
        var latest = Migration.FormatVersion(MigrationSet.Embedded.Latest);
        Assert.Matches($@"^\[\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] demo: seed {latest} -> {latest} - SUCCESS$", line.Render());
        Assert.Equal("inserted 88, already present 0", line.Message);
    }

    [Fact]
    public async Task A_baseline_name_taken_by_another_entity_fails_the_whole_seed()
    {
        await using var db = await MigratedDatabaseAsync("seed_taken");
        await db.ExecuteAsync("""
            with e as (insert into catalog.entity (entity_type, created_by) values ('skill', 'someone') returning entity_id)
            insert into catalog.entity_version (entity_id, entity_type, name, version, content_hash, created_by, updated_by)
            select entity_id, 'skill', 'fraud detection', 1, repeat('a', 64), 'someone', 'someone' from e
            """);

        var error = await Assert.ThrowsAsync<SeedException>(() => new CatalogSeeder(db.DataSource, new TestEmbedder(), s_local, s_keys).SeedAsync());

        Assert.Contains("already has the name of a baseline entity", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.entity"));
    }

    private static async Task<ScratchDatabase> MigratedDatabaseAsync(string prefix)
    {
        var db = await ScratchDatabase.CreateAsync(prefix);
        await db.Pipeline().UpAsync();
        return db;
    }

    /// <summary>Every row of every catalog table, in key order, with its xmin: an updated row shows a new xmin.</summary>
    private static async Task<string> DumpCatalogAsync(ScratchDatabase db)
    {
        var dump = new StringBuilder();
        foreach (var (table, orderBy) in s_catalogTables)
        {
            await using var command = db.DataSource.CreateCommand($"select t.xmin::text, row_to_json(t)::text from {table} t order by {orderBy}");
            await using var reader = await command.ExecuteReaderAsync();
            dump.AppendLine(table);
            while (await reader.ReadAsync())
            {
                dump.Append(reader.GetString(0)).Append(' ').AppendLine(reader.GetString(1));
            }
        }

        return dump.ToString();
    }
}
