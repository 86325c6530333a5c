using Npgsql;
using Plant.Core.Migrations;
using Plant.Testing;

namespace Plant.Core.Tests.Migrations;

public sealed class KilledRunnerTests
{
    [Fact]
    public async Task A_runner_killed_mid_migration_leaves_the_previous_version_and_the_next_run_finishes()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_killed");
        var set = MigrationSet.FromList([
            TestMigrations.Table(1, "a"),
            new Migration(2, "slow", "create table b (id int); select pg_sleep(5);", "drop table b;"),
            TestMigrations.Table(3, "c"),
        ]);
        // The runner gets its own unpooled data source, as a separate process would have.
        var settings = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "doomed-runner", Pooling = false };
        await using var runnerSource = NpgsqlDataSource.Create(settings.ConnectionString);
        var run = TestPipeline.Create(runnerSource, set).UpAsync();

        // Wait until the slow migration is running, then kill the runner's backend as a crash would.
        var killed = false;
        for (var i = 0; i < 100 && !killed; i++)
        {
            await Task.Delay(50);
            killed = await db.ScalarAsync<bool>("""
                select coalesce(bool_or(pg_terminate_backend(pid)), false) from pg_stat_activity
                where application_name = 'doomed-runner' and query like '%pg_sleep(5)%' and state = 'active'
                """);
        }

        Assert.True(killed, "the slow migration was never seen running");
        await Assert.ThrowsAnyAsync<Exception>(() => run);

        Assert.Equal([1], (await db.HistoryAsync()).Select(h => h.Version));
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('b') is not null"));
        // The session lock died with the session: the next run neither waits long nor needs repair.
        var next = await db.Pipeline(set).UpAsync(lockWait: TimeSpan.FromSeconds(2));
        Assert.Equal([2, 3], next.Ran);
        Assert.Equal([1, 2, 3], (await db.HistoryAsync()).Select(h => h.Version));
    }
}
