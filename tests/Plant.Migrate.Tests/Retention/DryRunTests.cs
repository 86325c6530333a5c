using Plant.Core.Retention;
using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>A dry run counts exactly what a run removes, and changes nothing at all.</summary>
public sealed class DryRunTests(RetentionDatabase db) : IClassFixture<RetentionDatabase>
{
    private static readonly DateTimeOffset s_cutoff = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_dry_run_changes_nothing_and_reports_per_table_what_the_real_run_then_removes()
    {
        for (var i = 0; i < 5; i++)
        {
            await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-3), idempotencyKey: $"dry-{i}-{Guid.NewGuid()}");
        }

        await db.InsertTrialAsync(s_cutoff.AddDays(-2), s_cutoff.AddDays(5), cancelledAt: s_cutoff.AddDays(-1));
        await db.InsertTrialAsync(s_cutoff.AddDays(-1), s_cutoff.AddDays(6));
        await db.InsertJobRoleAsync(s_cutoff.AddDays(-20), s_cutoff.AddDays(-10), s_cutoff.AddDays(-5));
        await db.ExecuteAsync("insert into plant_migrations.log (logged_at, environment, operation, outcome, duration_ms) values (@at, 'local', 'status', 'SUCCESS', 1)", ("at", s_cutoff.AddDays(-1)));
        var before = await SnapshotAsync();

        var dry = await db.Purge().RunAsync(At(s_cutoff, dryRun: true), default);

        Assert.Equal(before, await SnapshotAsync());
        Assert.True(dry.DryRun);
        Assert.Null(dry.AuditEntry);
        Assert.Null(dry.Checkpoint);
        Assert.Empty(dry.Vacuumed);
        Assert.Equal(6L, dry.Tables["catalog.entity"]);
        Assert.Equal(5L, dry.Tables["plant_agents.idempotency_key"]);

        var real = await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.Equal(dry.Tables.Where(t => t.Value > 0), real.Tables.Where(t => t.Value > 0));
        Assert.Equal(dry.Tables.Where(t => t.Value > 0).Select(t => t.Key).Order(), real.Vacuumed.Order());
        Assert.NotNull(real.AuditEntry);
    }

    [Fact]
    public async Task With_one_pooled_connection_the_run_purges_trials_in_one_lane_and_vacuums_in_its_own_session()
    {
        var trial = await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-3));
        await using var single = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);

        var report = await db.Purge(dataSource: single).RunAsync(At(s_cutoff), default);

        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", trial));
        Assert.Equal(PurgeStepOutcome.Done, report.Steps.Single(s => s.Name == "expired-trials").Outcome);
        Assert.Contains("catalog.trial", report.Vacuumed);
        Assert.Empty(report.VacuumWarnings);
    }

    /// <summary>Row counts of every table a purge touches, and the audit chain's head.</summary>
    private Task<string> SnapshotAsync() => db.ScalarAsync<string>("""
        select concat_ws(' ',
            (select count(*) from catalog.entity), (select count(*) from catalog.entity_version), (select count(*) from catalog.trial),
            (select count(*) from catalog.job_role), (select count(*) from catalog.job_role_skill), (select count(*) from catalog.relationship),
            (select count(*) from plant_agents.idempotency_key), (select count(*) from plant_migrations.log),
            (select count(*) from catalog.entity_version where predecessor_purged),
            (select sequence || ':' || encode(hash, 'hex') from genesis.audit_head), (select count(*) from genesis.audit_checkpoint))
        """);
}
