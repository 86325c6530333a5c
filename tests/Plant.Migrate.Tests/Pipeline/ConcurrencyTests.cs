using System.Net;
using Plant.Migrate.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>One run at a time, however many schedulers, instances and operators ask.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_instances_with_in_process_schedulers_make_one_run_apply_the_migrations()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_two_schedulers");
        var settings = new Dictionary<string, string?> { ["PLANT_TIMERS_IN_PROCESS"] = "true", ["PLANT_MIGRATE_SCHEDULE"] = "* * * * * *" };
        var hosts = await Task.WhenAll(
            MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(3), "local", settings),
            MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(3), "local", settings));
        await using (hosts[0])
        await using (hosts[1])
        {
            // The first run applies; the ones after it, every second, find nothing pending.
            await Waiting.UntilAsync(db.RunsAsync, runs => runs.Count >= 3, "three recorded runs");
            await Task.WhenAll(hosts[0].StopAsync(), hosts[1].StopAsync());
        }

        var runs = await db.RunsAsync();
        Assert.Equal("succeeded", runs[0].Outcome);
        Assert.All(runs.Skip(1), run => Assert.Equal("nothing-to-do", run.Outcome));
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].StartedAt >= runs[i - 1].FinishedAt, $"run {i} overlapped run {i - 1}");
        }

        Assert.Equal([1, 2, 3], await db.VersionsAsync());
    }

    [Fact]
    public async Task A_scheduled_run_while_an_operator_run_holds_the_lock_does_nothing_and_a_second_apply_gets_409()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_busy");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Blocking(), "local");
        await using var gate = await db.DataSource.OpenConnectionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand($"select pg_advisory_lock({TestSets.GateKey})", gate))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var first = MigrateHosts.PostAsync(host, "/api/v1/migrations/apply");
        await Waiting.UntilWaitingForAdvisoryLockAsync(db, TestSets.GateKey);

        var (timer, timerBody) = await MigrateHosts.RunTimerAsync(host);
        using var second = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, "/api/v1/migrations/apply", TestHost.MasterKey));
        await Problem.AssertAsync(second, HttpStatusCode.Conflict, "migration-in-progress");
        await using (var release = new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({TestSets.GateKey})", gate))
        {
            await release.ExecuteNonQueryAsync();
        }

        var (firstStatus, firstBody) = await first;
        Assert.Equal(HttpStatusCode.Accepted, timer);
        Assert.Equal("succeeded", timerBody.GetProperty("status").GetString());
        Assert.Equal((HttpStatusCode.OK, "succeeded"), (firstStatus, firstBody.GetProperty("outcome").GetString()));
        Assert.Equal("http", Assert.Single(await db.RunsAsync()).Trigger);
        Assert.Equal([1], await db.VersionsAsync());
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains("busy. Another migration run holds the migration lock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_Cloud_Scheduler_delivery_does_not_run_twice()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_scheduler_retry");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "demo");
        const string job = "projects/plant/locations/europe-west1/jobs/migrate-on-schedule";

        var (first, firstBody) = await MigrateHosts.RunTimerAsync(host, job, "2026-01-14T12:30:00Z");
        var (repeat, repeatBody) = await MigrateHosts.RunTimerAsync(host, job, "2026-01-14T12:30:00Z");

        Assert.Equal((HttpStatusCode.Accepted, "succeeded"), (first, firstBody.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.Accepted, "duplicate"), (repeat, repeatBody.GetProperty("status").GetString()));
        Assert.Equal("succeeded", Assert.Single(await db.RunsAsync()).Outcome);
        Assert.Equal([1, 2], await db.VersionsAsync());
    }
}
