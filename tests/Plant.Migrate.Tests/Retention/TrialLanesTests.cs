using Npgsql;
using Plant.Core.Retention;
using Plant.Core.Seed;
using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>
/// Expired trials go in two lanes at once, each on its own connection: the lanes never take the same trial, together
/// they take every expired one, and a lane that fails fails the run with its own error.
/// </summary>
public sealed class TrialLanesTests(RetentionDatabase db) : IClassFixture<RetentionDatabase>
{
    private static readonly DateTimeOffset s_cutoff = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_lanes_take_disjoint_trials_that_together_are_every_expired_one()
    {
        for (var i = 0; i < 40; i++)
        {
            await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-3).AddMinutes(i), cancelledAt: i % 5 == 0 ? s_cutoff.AddDays(-4) : null);
        }

        var live = await db.InsertTrialAsync(s_cutoff.AddDays(-1), s_cutoff.AddDays(6));
        var lanes = new ExpiredTrialsPass(s_cutoff, [CatalogSeeder.Actor], skipForeignKeyChecks: false).Split(2);
        Assert.Equal(2, lanes.Count);
        var inLaneOne = await db.ScalarAsync<long>(
            "select count(*) from catalog.trial t join catalog.entity_version v using (version_id) where v.is_current and t.ends_at < @cutoff and get_byte(uuid_send(t.version_id), 15) % 2 = 1",
            ("cutoff", s_cutoff));

        var expired = await ExpiredLeftAsync();

        var byLaneZero = await RunToTheEndAsync(lanes[0]);

        // What lane zero left is exactly lane one's share, and lane one then takes all of it.
        Assert.True(expired >= 40);
        Assert.Equal(expired - inLaneOne, byLaneZero);
        Assert.Equal(inLaneOne, await ExpiredLeftAsync());
        Assert.Equal(inLaneOne, await RunToTheEndAsync(lanes[1]));
        Assert.Equal(0L, await ExpiredLeftAsync());
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", live));
    }

    [Fact]
    public async Task A_lane_that_fails_fails_the_run_with_its_own_error_and_the_trail_records_what_went()
    {
        for (var i = 0; i < 30; i++)
        {
            await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-5).AddMinutes(i));
        }

        // The last trial to go refuses to be deleted, whichever lane takes it (a trigger that fires in replica mode too).
        var refusing = await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-2));
        await db.ExecuteAsync("""
            create function catalog.refuse_trial_delete() returns trigger language plpgsql as
            $$ begin raise exception 'lanes test: this trial may not go'; end $$;
            create trigger refuse_trial_delete before delete on catalog.trial
                for each row when (old.customer_ref = 'customer-' || '{0}') execute function catalog.refuse_trial_delete();
            alter table catalog.trial enable always trigger refuse_trial_delete;
            """.Replace("{0}", refusing.ToString(), StringComparison.Ordinal));
        try
        {
            var failure = await Assert.ThrowsAsync<PostgresException>(() => db.Purge(new() { FixedBatchSize = 2 }).RunAsync(At(s_cutoff), default));

            Assert.Contains("may not go", failure.MessageText, StringComparison.Ordinal);
            Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", refusing));
            var recorded = await db.ScalarAsync<long>(
                "select (details -> 'tables' ->> 'catalog.trial')::bigint from genesis.audit_entry where action = @a order by sequence desc limit 1",
                ("a", RetentionPurge.FailedAction));
            Assert.Equal(31 - await ExpiredLeftAsync(), recorded);
        }
        finally
        {
            await db.ExecuteAsync("drop trigger refuse_trial_delete on catalog.trial; drop function catalog.refuse_trial_delete()");
        }

        await db.Purge().RunAsync(At(s_cutoff), default);
        Assert.Equal(0L, await ExpiredLeftAsync());
    }

    /// <summary>Runs one lane's batches, each in its own transaction, until it says it is done; returns the trials it removed.</summary>
    private async Task<long> RunToTheEndAsync(PurgePass lane)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        long removed = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var result = await lane.DeleteBatchAsync(connection, transaction, 7, default);
            await transaction.CommitAsync();
            removed += result.Deleted.Rows.GetValueOrDefault("catalog.entity");
            if (result.Done)
            {
                return removed;
            }
        }
    }

    private Task<long> ExpiredLeftAsync() => db.ScalarAsync<long>(
        "select count(*) from catalog.trial t join catalog.entity_version v using (version_id) where v.is_current and (t.ends_at < @cutoff or t.cancelled_at < @cutoff)",
        ("cutoff", s_cutoff));
}
