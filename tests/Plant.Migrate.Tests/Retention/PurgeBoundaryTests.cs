using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>Rows a second before the cutoff go; rows a second after it stay, for every kind the purge removes.</summary>
public sealed class PurgeBoundaryTests(RetentionDatabase db) : IClassFixture<RetentionDatabase>
{
    private static readonly DateTimeOffset s_cutoff = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_before = s_cutoff.AddSeconds(-1);
    private static readonly DateTimeOffset s_after = s_cutoff.AddSeconds(1);

    [Fact]
    public async Task A_trial_that_ended_a_second_before_the_cutoff_goes_whole_and_one_that_ends_a_second_after_stays()
    {
        var ended = await db.InsertTrialAsync(s_cutoff.AddDays(-7), s_before, idempotencyKey: "key-" + Guid.NewGuid());
        var ending = await db.InsertTrialAsync(s_cutoff.AddDays(-7), s_after, idempotencyKey: "key-" + Guid.NewGuid());

        var report = await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", ended));
        Assert.False(await db.ExistsAsync("catalog.entity_version", "entity_id", ended));
        Assert.False(await db.ExistsAsync("plant_agents.idempotency_key", "trial_id", ended));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.trial where customer_ref = 'customer-' || @id::text", ("id", ended)));
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", ending));
        Assert.True(await db.ExistsAsync("catalog.entity_version", "entity_id", ending));
        Assert.True(await db.ExistsAsync("plant_agents.idempotency_key", "trial_id", ending));
        var step = Assert.Single(report.Steps, s => s.Name == "expired-trials");
        Assert.True(step.Rows["catalog.trial"] >= 1 && step.Rows["plant_agents.idempotency_key"] >= 1);
        Assert.Equal(s_cutoff, step.Cutoff);
    }

    [Fact]
    public async Task A_trial_cancelled_a_second_before_the_cutoff_goes_with_both_versions_though_its_end_is_later()
    {
        var cancelled = await db.InsertTrialAsync(s_cutoff.AddDays(-2), s_cutoff.AddDays(5), cancelledAt: s_before);
        var cancelledAfter = await db.InsertTrialAsync(s_cutoff.AddDays(-2), s_cutoff.AddDays(5), cancelledAt: s_after);

        await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", cancelled));
        Assert.False(await db.ExistsAsync("catalog.entity_version", "entity_id", cancelled));
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_id = @id", ("id", cancelledAfter)));
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from catalog.trial where customer_ref = 'customer-' || @id::text", ("id", cancelledAfter)));
    }

    [Fact]
    public async Task A_version_superseded_a_second_before_the_cutoff_goes_with_its_rows_and_its_successor_keeps_the_hash_link()
    {
        // v1 was superseded by v2 a second before the cutoff; v2 by v3 a second after it.
        var versions = await db.InsertJobRoleAsync(s_cutoff.AddDays(-30), s_before, s_after);

        var report = await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.False(await db.ExistsAsync("catalog.entity_version", "version_id", versions[0]));
        Assert.False(await db.ExistsAsync("catalog.job_role", "version_id", versions[0]));
        Assert.False(await db.ExistsAsync("catalog.job_role_skill", "job_role_version_id", versions[0]));
        Assert.False(await db.ExistsAsync("catalog.relationship", "version_id", versions[0]));
        foreach (var kept in versions.Skip(1))
        {
            Assert.True(await db.ExistsAsync("catalog.entity_version", "version_id", kept));
            Assert.True(await db.ExistsAsync("catalog.job_role_skill", "job_role_version_id", kept));
            Assert.True(await db.ExistsAsync("catalog.relationship", "version_id", kept));
        }

        // The successor no longer points at a row, says why, and still carries the purged version's content hash.
        Assert.Equal(
            "|true|" + Convert.ToHexStringLower(BitConverter.GetBytes(0)).PadRight(64, 'c'),
            await db.ScalarAsync<string>("select coalesce(supersedes::text, '') || '|' || predecessor_purged || '|' || previous_hash from catalog.entity_version where version_id = @v", ("v", versions[1])));
        Assert.Equal(versions[1], await db.ScalarAsync<Guid>("select supersedes from catalog.entity_version where version_id = @v", ("v", versions[2])));
        var step = Assert.Single(report.Steps, s => s.Name == "superseded-versions");
        Assert.Equal(Core.Retention.PurgeStepOutcome.Done, step.Outcome);
        Assert.True(step.Rows["catalog.job_role"] >= 1);
    }

    [Fact]
    public async Task A_chain_of_superseded_versions_goes_oldest_first_in_one_run()
    {
        var versions = await db.InsertJobRoleAsync(s_cutoff.AddDays(-40), s_cutoff.AddDays(-30), s_cutoff.AddDays(-20), s_cutoff.AddDays(-10));

        await db.Purge(new() { FixedBatchSize = 1 }).RunAsync(At(s_cutoff), default);

        Assert.Equal([versions[3]], await VersionsOfAsync(versions[3]));
        Assert.Equal("|true", await db.ScalarAsync<string>("select coalesce(supersedes::text, '') || '|' || predecessor_purged from catalog.entity_version where version_id = @v", ("v", versions[3])));
    }

    [Fact]
    public async Task Migration_log_lines_a_second_before_the_cutoff_go_and_the_history_of_applied_versions_stays()
    {
        var history = await db.ScalarAsync<long>("select count(*) from plant_migrations.history");
        await db.ExecuteAsync("""
            insert into plant_migrations.log (logged_at, environment, operation, outcome, duration_ms, message)
            values (@before, 'local', 'status', 'SUCCESS', 1, 'boundary-before'), (@after, 'local', 'status', 'SUCCESS', 1, 'boundary-after')
            """, ("before", s_before), ("after", s_after));

        await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.Equal("boundary-after", await db.ScalarAsync<string>("select string_agg(message, ',') from plant_migrations.log where message like 'boundary-%'"));
        Assert.Equal(history, await db.ScalarAsync<long>("select count(*) from plant_migrations.history"));
    }

    [Fact]
    public async Task A_run_whose_time_budget_is_spent_starts_no_batch_says_so_and_the_next_run_carries_on()
    {
        var ended = await db.InsertTrialAsync(s_cutoff.AddDays(-7), s_before);

        var spent = await db.Purge(new() { TimeBudget = TimeSpan.Zero }).RunAsync(At(s_cutoff), default);

        var step = Assert.Single(spent.Steps, s => s.Name == "expired-trials");
        Assert.Equal((Core.Retention.PurgeStepOutcome.Incomplete, 0), (step.Outcome, step.Batches));
        Assert.Contains("time budget", step.Reason, StringComparison.Ordinal);
        Assert.False(spent.Completed);
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", ended));

        var next = await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.True(next.Completed);
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", ended));
    }

    [Fact]
    public async Task Without_explicit_cutoffs_the_run_takes_them_from_its_clock_and_the_environment_s_retention()
    {
        // Demo keeps data 7 days: at s_cutoff + 7 days the cutoff is s_cutoff.
        var settings = Core.Configuration.PlantSettings.Defaults(Core.Configuration.PlantEnvironment.Demo);
        var clock = new ManualClock(s_cutoff.AddDays(7));
        var ended = await db.InsertTrialAsync(s_cutoff.AddDays(-7), s_before);
        var ending = await db.InsertTrialAsync(s_cutoff.AddDays(-7), s_after);
        var purge = new Core.Retention.RetentionPurge(
            db.DataSource, db.Audit, settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Retention.RetentionPurge>.Instance, clock);

        var report = await purge.RunAsync(new Core.Retention.PurgeRequest { Actor = "test" }, default);

        Assert.Equal(s_cutoff, report.Cutoffs.Data);
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", ended));
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", ending));
    }

    [Fact]
    public async Task The_cutoff_comes_from_the_environment_s_retention_and_the_clock()
    {
        var now = new DateTimeOffset(2026, 11, 21, 3, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);
        var demo = Core.Configuration.PlantSettings.Defaults(Core.Configuration.PlantEnvironment.Demo);

        var cutoffs = Core.Retention.PurgeCutoffs.From(demo, now);

        Assert.Equal(new DateTimeOffset(2026, 11, 14, 3, 0, 0, 123, TimeSpan.Zero).AddTicks(4560), cutoffs.Data);
        Assert.Equal(now.AddDays(-30).AddTicks(-7), cutoffs.Audit);
        Assert.Equal(now.AddDays(-30).AddTicks(-7), cutoffs.MigrationLog);
        Assert.Equal(new Core.Retention.PurgeCutoffs(null, null, null), Core.Retention.PurgeCutoffs.From(Core.Configuration.PlantSettings.Defaults(Core.Configuration.PlantEnvironment.Local), now));
    }

    private async Task<IReadOnlyList<Guid>> VersionsOfAsync(Guid versionId)
    {
        await using var command = db.DataSource.CreateCommand("""
            select version_id from catalog.entity_version
            where entity_id = (select entity_id from catalog.entity_version where version_id = @v) order by version
            """);
        command.Parameters.AddWithValue("v", versionId);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
