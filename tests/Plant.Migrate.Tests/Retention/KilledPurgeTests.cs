using System.Diagnostics;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Retention;
using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>
/// A purge whose database session dies part-way (the process killed, the connection cut: PostgreSQL sees the same)
/// leaves only whole batches behind, and the next run finishes the job with no state of its own to recover.
/// </summary>
public sealed class KilledPurgeTests(RetentionDatabase db) : IClassFixture<RetentionDatabase>
{
    private const int Expired = 1500;
    private static readonly DateTimeOffset s_cutoff = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_purge_killed_mid_run_leaves_whole_trials_only_and_the_next_run_finishes()
    {
        await db.ExecuteAsync("""
            with ids as (select gen_random_uuid() e, gen_random_uuid() v, i from generate_series(1, @n) i),
            entities as (insert into catalog.entity (entity_id, entity_type, created_by) select e, 'trial', 'plant-agents' from ids),
            versions as (
                insert into catalog.entity_version (version_id, entity_id, entity_type, name, status, activated_at, version, content_hash, created_by, updated_by)
                select v, e, 'trial', 'killed trial ' || i, 'active', @starts, 1, repeat('a', 64), 'plant-agents', 'plant-agents' from ids)
            insert into catalog.trial (version_id, agent_id, customer_ref, starts_at, ends_at, trial_status)
            select v, @agent, 'killed-' || i, @starts, @ends, 'active' from ids
            """, ("n", Expired), ("agent", db.AgentId), ("starts", s_cutoff.AddDays(-10)), ("ends", s_cutoff.AddDays(-3)));
        var live = await db.InsertTrialAsync(s_cutoff.AddDays(-1), s_cutoff.AddDays(6));
        var application = "purge-killed-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = application }.ConnectionString);
        var audit = new AuditTrail(dataSource, db.Keys, Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditTrail>.Instance);

        // Small fixed batches, so that the run is still going when its session is terminated.
        var run = db.Purge(new() { FixedBatchSize = 10 }, dataSource, audit).RunAsync(At(s_cutoff), default);
        var remaining = await WaitUntilSomeAreGoneAsync(run);
        await db.ExecuteAsync("select pg_terminate_backend(pid) from pg_stat_activity where application_name = @app", ("app", application));

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => run);
        var left = await ExpiredLeftAsync();
        Assert.InRange(left, 1, remaining);
        // Batches are whole: every trial left has its entity, version and trial row; nothing points at a gone row.
        Assert.Equal(0L, await OrphansAsync());
        Assert.Equal(0L, left % 10);

        var finish = await db.Purge().RunAsync(At(s_cutoff), default);

        Assert.Equal(0L, await ExpiredLeftAsync());
        Assert.Equal(left, finish.Tables["catalog.trial"]);
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", live));
        Assert.Equal(0L, await OrphansAsync());
        // The killed run's partial work is in the audit trail too, and the chain is whole.
        Assert.Equal(Expired - left, await db.ScalarAsync<long>(
            "select (details -> 'tables' ->> 'catalog.trial')::bigint from genesis.audit_entry where action = @a", ("a", RetentionPurge.FailedAction)));
        Assert.True((await db.Audit.VerifyAsync(default)).Intact);
    }

    private Task<long> ExpiredLeftAsync() => db.ScalarAsync<long>("select count(*) from catalog.trial where customer_ref like 'killed-%'");

    private Task<long> OrphansAsync() => db.ScalarAsync<long>("""
        select (select count(*) from catalog.entity e where e.entity_type = 'trial' and not exists (select 1 from catalog.entity_version v where v.entity_id = e.entity_id))
             + (select count(*) from catalog.entity_version v where v.entity_type = 'trial' and not exists (select 1 from catalog.trial t where t.version_id = v.version_id))
             + (select count(*) from catalog.entity_version v where not exists (select 1 from catalog.entity e where e.entity_id = v.entity_id))
             + (select count(*) from catalog.trial t where not exists (select 1 from catalog.entity_version v where v.version_id = t.version_id))
        """);

    /// <summary>Polls until the run has removed a few batches; fails if the run ends first.</summary>
    private async Task<long> WaitUntilSomeAreGoneAsync(Task run)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var left = await ExpiredLeftAsync();
            if (left <= Expired - 50)
            {
                return left;
            }

            Assert.False(run.IsCompleted, "The purge finished before it could be killed; make its batches smaller.");
            await Task.Delay(5);
        }

        throw new TimeoutException("The purge removed nothing within 60 s.");
    }
}
