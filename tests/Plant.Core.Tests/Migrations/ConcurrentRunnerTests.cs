using Npgsql;
using Plant.Core.Migrations;
using Plant.Testing;

namespace Plant.Core.Tests.Migrations;

public sealed class ConcurrentRunnerTests
{
    [Fact]
    public async Task Eight_runners_at_once_apply_each_migration_exactly_once()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_eight");
        var sources = Enumerable.Range(0, 8).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var runners = sources.Select(source => Task.Run(async () =>
            {
                await start.WaitAsync();
                return await TestPipeline.Create(source).UpAsync();
            })).ToList();
            start.Release(8);

            var results = await Task.WhenAll(runners);

            // Every runner succeeds; between them each version was run once, and the others found nothing to do.
            Assert.Equal(MigrationSet.Embedded.Migrations.Select(m => m.Version), results.SelectMany(r => r.Ran).Order());
            Assert.All(results, r => Assert.Equal(MigrationSet.Embedded.Latest, r.ToVersion));
            Assert.Equal(MigrationSet.Embedded.Migrations.Select(m => (m.Version, m.Checksum, true)), await db.HistoryAsync());
            var log = await MigrationLog.ReadRecentAsync(db.DataSource, 20);
            Assert.Equal(8, log.Count);
            Assert.All(log, entry => Assert.True(entry.Success, entry.Render()));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_runner_that_cannot_get_the_lock_in_time_gives_up_with_a_clear_error()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_locked");
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand($"select pg_advisory_lock({MigrationLock.Key})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(TestMigrations.Tables("a")).UpAsync(lockWait: TimeSpan.FromMilliseconds(300)));

        Assert.Contains("migration lock", error.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('a') is not null"));
    }
}
