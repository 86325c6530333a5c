using Plant.Core.Seed;
using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>What the purge never removes, however old: current entities, seed data, certified versions, referenced trials.</summary>
public sealed class ProtectionTests(RetentionDatabase db) : IClassFixture<RetentionDatabase>
{
    private static readonly DateTimeOffset s_longAgo = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task With_everything_expired_every_current_entity_and_all_seed_data_survive_and_only_trials_and_superseded_versions_go()
    {
        var seedBefore = await SeedRowsAsync();
        var currentBefore = await db.ScalarAsync<long>("select count(*) from catalog.entity_version where is_current and entity_type <> 'trial'");
        var lonely = await db.InsertJobRoleAsync(s_longAgo);
        var amended = await db.InsertJobRoleAsync(s_longAgo, s_longAgo.AddDays(1));
        var trial = await db.InsertTrialAsync(s_longAgo, s_longAgo.AddDays(7));

        // A cutoff a year ahead: every row in the database is older than it.
        await db.Purge().RunAsync(At(DateTimeOffset.UtcNow.AddYears(1)), default);

        Assert.Equal(seedBefore, await SeedRowsAsync());
        Assert.Equal(currentBefore + 2, await db.ScalarAsync<long>("select count(*) from catalog.entity_version where is_current and entity_type <> 'trial'"));
        Assert.True(await db.ExistsAsync("catalog.entity_version", "version_id", lonely[0]));
        Assert.True(await db.ExistsAsync("catalog.job_role_skill", "job_role_version_id", amended[1]));
        Assert.False(await db.ExistsAsync("catalog.entity_version", "version_id", amended[0]));
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", trial));
    }

    [Fact]
    public async Task A_superseded_version_with_a_certificate_stays_and_so_does_its_certificate()
    {
        var versions = await db.InsertJobRoleAsync(s_longAgo, s_longAgo.AddDays(1));
        await db.InsertCertificateAsync(versions[0]);

        await db.Purge().RunAsync(At(DateTimeOffset.UtcNow), default);

        Assert.True(await db.ExistsAsync("catalog.entity_version", "version_id", versions[0]));
        Assert.True(await db.ExistsAsync("catalog.certificate", "version_id", versions[0]));
        Assert.Equal(versions[0], await db.ScalarAsync<Guid>("select supersedes from catalog.entity_version where version_id = @v", ("v", versions[1])));
    }

    [Fact]
    public async Task A_version_marked_certified_stays_even_without_a_certificate_row()
    {
        var versions = await db.InsertJobRoleAsync(s_longAgo, s_longAgo.AddDays(1));
        await db.ExecuteAsync(
            "update catalog.entity_version set certification_status = 'certified', certified_at = @at, certificate_ref = 'elsewhere' where version_id = @v",
            ("at", s_longAgo), ("v", versions[0]));

        await db.Purge().RunAsync(At(DateTimeOffset.UtcNow), default);

        Assert.True(await db.ExistsAsync("catalog.entity_version", "version_id", versions[0]));
    }

    [Fact]
    public async Task An_expired_trial_that_a_relationship_points_at_stays()
    {
        var trial = await db.InsertTrialAsync(s_longAgo, s_longAgo.AddDays(7));
        var role = await db.InsertJobRoleAsync(s_longAgo);
        await db.ExecuteAsync("insert into catalog.relationship (version_id, target_id, kind) values (@v, @t, 'related_to')", ("v", role[0]), ("t", trial));

        await db.Purge().RunAsync(At(DateTimeOffset.UtcNow), default);

        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", trial));
        Assert.True(await db.ExistsAsync("catalog.entity_version", "entity_id", trial));
    }

    [Fact]
    public async Task A_trial_written_by_the_seed_is_never_purged()
    {
        var trial = await db.InsertTrialAsync(s_longAgo, s_longAgo.AddDays(7), createdBy: CatalogSeeder.Actor);

        await db.Purge().RunAsync(At(DateTimeOffset.UtcNow), default);

        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", trial));
    }

    /// <summary>Every row that belongs to a seeded entity, per table.</summary>
    private Task<string> SeedRowsAsync() => db.ScalarAsync<string>($"""
        with seed_versions as (
            select v.version_id from catalog.entity_version v join catalog.entity e using (entity_id) where e.created_by = '{CatalogSeeder.Actor}'
        )
        select concat_ws(' ',
            (select count(*) from catalog.entity where created_by = '{CatalogSeeder.Actor}'),
            (select count(*) from seed_versions),
            (select count(*) from catalog.skill join seed_versions using (version_id)),
            (select count(*) from catalog.agent join seed_versions using (version_id)),
            (select count(*) from catalog.agent_skill x join seed_versions s on s.version_id = x.agent_version_id),
            (select count(*) from catalog.job_role_skill x join seed_versions s on s.version_id = x.job_role_version_id),
            (select count(*) from catalog.team_member x join seed_versions s on s.version_id = x.team_version_id))
        """);
}
