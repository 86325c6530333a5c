using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Functions;
using Plant.Hosting.Timers;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Timers;

public sealed class SingletonEverySecondFunctions
{
    public const string Name = "SingletonEverySecond";

    [Function(Name)]
    public static async Task Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context, CancellationToken ct)
    {
        // Long enough that both hosts are awake and racing while a run holds the lock.
        using (Probe.For(context).Enter(context, timer).Scope)
        {
            await Task.Delay(300, ct);
        }
    }
}

public sealed class SingletonCatchUpFunctions
{
    public const string Name = "SingletonHourlyCatchUp";

    [Function(Name)]
    public static async Task Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context, CancellationToken ct)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
            await Task.Delay(300, ct);
        }
    }
}

public sealed class SingletonStaleFunctions
{
    public const string Name = "SingletonStale";

    [Function(Name)]
    public static void Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

/// <summary>Two instances on one database: a timer runs on one of them at a time, once per occurrence.</summary>
public sealed class TimerSingletonTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private readonly HostTables _tables = new(database.DataSource);

    [Fact]
    public async Task Two_hosts_run_each_occurrence_of_an_every_second_timer_exactly_once_and_never_at_the_same_time()
    {
        const string name = SingletonEverySecondFunctions.Name;
        await using var first = await TestHost.StartAsync(database.ConnectionString, [typeof(SingletonEverySecondFunctions)], HostTables.InProcess());
        await using var second = await TestHost.StartAsync(database.ConnectionString, [typeof(SingletonEverySecondFunctions)], HostTables.InProcess());

        var finished = await _tables.WaitForRunsAsync(name, 4);
        Assert.All(finished, run => Assert.True(run.Succeeded && run.Trigger == "schedule", $"{run.Trigger} run failed: {run.Error}"));
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/healthz")).StatusCode);

        // Stopped, so that every run either host started is recorded (a run cut short by the stop is too).
        await Task.WhenAll(first.StopAsync(), second.StopAsync());
        var runs = await _tables.RunsAsync(name);
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledFor).Distinct().Count());
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].StartedAt >= runs[i - 1].FinishedAt,
                $"run {i} started at {runs[i].StartedAt:O}, before run {i - 1} finished at {runs[i - 1].FinishedAt:O}");
            Assert.True(runs[i].ScheduledFor > runs[i - 1].ScheduledFor);
        }

        var probe = Probe.For(name);
        Assert.Equal(1, probe.MaxConcurrent);
        Assert.Equal(runs.Select(r => r.InvocationId.ToString()).Order(), probe.Runs.Select(r => r.InvocationId).Order());
    }

    [Fact]
    public async Task An_instance_that_asks_late_for_an_occurrence_another_instance_already_ran_runs_the_one_now_due_or_nothing()
    {
        const string name = SingletonStaleFunctions.Name;
        // Timers are not in-process in this host: the test plays the scheduler that read the status, then stalled.
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(SingletonStaleFunctions)]);
        var runner = host.Services.GetRequiredService<TimerRunner>();
        var timer = Assert.Single(FunctionIndexer.Index([new FunctionApp("Test", [typeof(SingletonStaleFunctions)])], new ConfigurationBuilder().Build()));
        var now = DateTimeOffset.UtcNow;
        var stale = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(-10);

        // Another instance ran the stale occurrence, and the next one is already due: that one runs, once.
        await _tables.SetStatusAsync(name, stale, stale.AddSeconds(1));
        var (outcome, _) = await runner.TryRunAsync(timer, TimerTrigger.Schedule, stale, null, CancellationToken.None);
        Assert.Equal(TimerRunOutcome.Succeeded, outcome);
        var run = Assert.Single(await _tables.RunsAsync(name));
        Assert.Equal(stale.AddSeconds(1), run.ScheduledFor);
        Assert.True(Assert.Single(Probe.For(name).Runs).Timer.IsPastDue);

        // Now the stored next occurrence is ahead: asking for any earlier one runs nothing.
        (outcome, _) = await runner.TryRunAsync(timer, TimerTrigger.Schedule, stale.AddSeconds(1), null, CancellationToken.None);
        Assert.Equal(TimerRunOutcome.NotDue, outcome);
        Assert.Single(await _tables.RunsAsync(name));
        Assert.Single(Probe.For(name).Runs);
    }

    [Fact]
    public async Task Two_hosts_starting_together_after_downtime_make_exactly_one_catch_up_run()
    {
        const string name = SingletonCatchUpFunctions.Name;
        var missed = HostTables.ThisHour().AddHours(-1);
        await _tables.SetStatusAsync(name, missed.AddHours(-1), missed);

        var hosts = await Task.WhenAll(
            TestHost.StartAsync(database.ConnectionString, [typeof(SingletonCatchUpFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson),
            TestHost.StartAsync(database.ConnectionString, [typeof(SingletonCatchUpFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson));
        await using var first = hosts[0];
        await using var second = hosts[1];

        var run = Assert.Single(await _tables.WaitForRunsAsync(name, 1));
        var status = await _tables.StatusAsync(name);
        Assert.NotNull(status);
        // Both schedulers have settled on the next regular occurrence; neither ran the missed one again.
        await Eventually.UntilLoggedAsync(first, HostTables.WaitsFor(name, status.Next));
        await Eventually.UntilLoggedAsync(second, HostTables.WaitsFor(name, status.Next));

        run = Assert.Single(await _tables.RunsAsync(name));
        Assert.Equal("catch-up", run.Trigger);
        Assert.Equal(missed, run.ScheduledFor);
        Assert.True(run.Succeeded);
        Assert.True(status.Next > run.FinishedAt);
        Assert.Equal(missed, status.Last);
        Assert.True(Assert.Single(Probe.For(name).Runs).Timer.IsPastDue);
    }
}
