using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NCrontab;
using Plant.Hosting.Timers;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Timers;

public sealed class SlowTimerFunctions
{
    public const string Name = "ScheduleSlowEverySecond";

    [Function(Name)]
    public static async Task Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context, CancellationToken ct)
    {
        // Longer than the interval: the occurrence that falls during the run must not start a second run.
        using (Probe.For(context).Enter(context, timer).Scope)
        {
            await Task.Delay(1100, ct);
        }
    }
}

public sealed class StubbornTimerFunctions
{
    public const string Name = "ScheduleOutlivesTimeout";

    [Function(Name)]
    public static async Task Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        var (scope, call) = Probe.For(context).Enter(context, timer);
        using (scope)
        {
            if (call == 1)
            {
                // Ignores its cancellation token and goes on well past functionTimeout (one second here).
                await Task.Delay(2500, CancellationToken.None);
            }
        }
    }
}

public sealed class FailingTimerFunctions
{
    public const string Name = "ScheduleFailing";

    [Function(Name)]
    public static void Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        var (scope, call) = Probe.For(context).Enter(context, timer);
        using (scope)
        {
            throw new InvalidOperationException($"boom {call}");
        }
    }
}

public sealed class SettingScheduleFunctions
{
    public const string Name = "ScheduleFromSetting";
    public const string Setting = "PLANT_TEST_SCHEDULE_FROM_SETTING";

    [Function(Name)]
    public static void Run([TimerTrigger("%" + Setting + "%")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

public sealed class RunOnStartupFunctions
{
    public const string Name = "ScheduleRunOnStartup";

    [Function(Name)]
    public static void Run([TimerTrigger("0 0 * * * *", RunOnStartup = true)] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

/// <summary>One host running timers in-process: the schedule, what a run is told, and failures.</summary>
public sealed class TimerScheduleTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly CrontabSchedule s_everySecond = CrontabSchedule.Parse("* * * * * *", new() { IncludingSeconds = true });
    private readonly HostTables _tables = new(database.DataSource);

    [Fact]
    public async Task A_run_longer_than_the_interval_is_never_overlapped_and_the_next_run_is_for_the_first_occurrence_after_it_finished()
    {
        const string name = SlowTimerFunctions.Name;
        await using (var host = await TestHost.StartAsync(database.ConnectionString, [typeof(SlowTimerFunctions)], HostTables.InProcess()))
        {
            await _tables.WaitForRunsAsync(name, 2);
        }

        var runs = (await _tables.RunsAsync(name)).Take(2).ToList();
        Assert.All(runs, run => Assert.True(run.Succeeded && run.Trigger == "schedule"));
        Assert.True(runs[1].StartedAt >= runs[0].FinishedAt);
        // The occurrences during the first run are skipped, not queued up.
        Assert.Equal(new DateTimeOffset(s_everySecond.GetNextOccurrence(runs[0].FinishedAt.UtcDateTime), TimeSpan.Zero), runs[1].ScheduledFor);
        Assert.Equal(1, Probe.For(name).MaxConcurrent);
        Assert.False(Probe.For(name).Runs[1].Timer.IsPastDue);
    }

    [Fact]
    public async Task A_run_that_outlives_functionTimeout_is_recorded_as_timed_out_only_once_it_has_really_ended_and_is_never_overlapped()
    {
        const string name = StubbornTimerFunctions.Name;
        await using (var host = await TestHost.StartAsync(database.ConnectionString, [typeof(StubbornTimerFunctions)], HostTables.InProcess(),
            """{ "version": "2.0", "functionTimeout": "00:00:01" }"""))
        {
            await _tables.WaitForRunsAsync(name, 2);
        }

        var runs = (await _tables.RunsAsync(name)).Take(2).ToList();
        Assert.False(runs[0].Succeeded);
        Assert.Equal($"FunctionTimeoutException: The function '{name}' did not finish within functionTimeout (00:00:01).", runs[0].Error);
        Assert.True(runs[1].Succeeded);
        Assert.True(runs[1].StartedAt >= runs[0].FinishedAt);
        Assert.Equal(1, Probe.For(name).MaxConcurrent);
    }

    [Fact]
    public async Task An_exception_is_logged_with_the_invocation_id_and_recorded_and_the_timer_runs_again_at_its_next_occurrence()
    {
        const string name = FailingTimerFunctions.Name;
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(database.ConnectionString, HostTables.OnClock(typeof(FailingTimerFunctions), clock), HostTables.InProcess());

        var runs = await _tables.RunsAsClockMovesAsync(name, 2, clock);
        Assert.All(runs, run => Assert.False(run.Succeeded));
        Assert.Equal(["InvalidOperationException: boom 1", "InvalidOperationException: boom 2"], runs.Select(r => r.Error));
        Assert.True(runs[1].ScheduledFor > runs[0].ScheduledFor);
        Assert.Equal(Probe.For(name).Runs.Take(2).Select(r => r.InvocationId), runs.Select(r => r.InvocationId.ToString()));
        foreach (var run in runs)
        {
            var line = Assert.Single(host.Logs.Lines, l => l.Message.StartsWith($"Executed 'Functions.{name}' (Failed, Id={run.InvocationId}, ", StringComparison.Ordinal));
            Assert.Equal(LogLevel.Error, line.Level);
            Assert.Contains("InvalidOperationException: boom", line.Message, StringComparison.Ordinal);
        }

        // The host's own loop did not fail: a function's exception is the run's outcome, not a scheduling error.
        Assert.DoesNotContain(host.Logs.Lines, l => l.Category.StartsWith("Plant.Hosting", StringComparison.Ordinal) && l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_schedule_read_from_a_setting_runs_and_each_run_sees_the_previous_occurrence_as_Last_and_a_future_Next()
    {
        // The host's clock is a fake the test moves a second at a time: the runs do not depend on the machine's speed.
        const string name = SettingScheduleFunctions.Name;
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(database.ConnectionString, HostTables.OnClock(typeof(SettingScheduleFunctions), clock),
            HostTables.InProcess((SettingScheduleFunctions.Setting, "* * * * * *")));

        var runs = await _tables.RunsAsClockMovesAsync(name, 3, clock);
        var seen = Probe.For(name).Runs.Take(3).ToList();
        Assert.Equal(runs.Select(r => r.InvocationId.ToString()), seen.Select(s => s.InvocationId));
        Assert.Equal(DateTime.MinValue, seen[0].Timer.ScheduleStatus!.Last);
        Assert.Equal(DateTime.MinValue, seen[0].Timer.ScheduleStatus!.LastUpdated);
        for (var i = 0; i < runs.Count; i++)
        {
            var status = seen[i].Timer.ScheduleStatus!;
            Assert.Equal(DateTimeKind.Utc, status.Next.Kind);
            Assert.Equal(s_everySecond.GetNextOccurrence(runs[i].StartedAt.UtcDateTime), status.Next);
            Assert.True(status.Next > runs[i].StartedAt.UtcDateTime);
            Assert.False(seen[i].Timer.IsPastDue);
            if (i > 0)
            {
                Assert.Equal(runs[i - 1].ScheduledFor!.Value.UtcDateTime, status.Last);
                Assert.Equal(runs[i - 1].FinishedAt.UtcDateTime, status.LastUpdated);
            }
        }
    }

    [Fact]
    public void A_schedule_setting_that_is_not_set_stops_start_up_naming_the_function_and_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("plant-host-test-").FullName;
        try
        {
            var e = Assert.Throws<StartupException>(() => TestHost.Build(database.ConnectionString, [typeof(SettingScheduleFunctions)], folder));
            Assert.Equal(
                $"Function '{SettingScheduleFunctions.Name}' reads its schedule from the setting '{SettingScheduleFunctions.Setting}', which is not set.",
                e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RunOnStartup_runs_once_at_each_start_and_sees_the_schedule_status_of_the_previous_start()
    {
        const string name = RunOnStartupFunctions.Name;
        await using (var host = await TestHost.StartAsync(database.ConnectionString, [typeof(RunOnStartupFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson))
        {
            await _tables.WaitForRunsAsync(name, 1);
            var status = await _tables.StatusAsync(name);
            await Eventually.UntilLoggedAsync(host, HostTables.WaitsFor(name, status!.Next));
        }

        await using (var host = await TestHost.StartAsync(database.ConnectionString, [typeof(RunOnStartupFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson))
        {
            await _tables.WaitForRunsAsync(name, 2);
            var status = await _tables.StatusAsync(name);
            await Eventually.UntilLoggedAsync(host, HostTables.WaitsFor(name, status!.Next));
        }

        var runs = await _tables.RunsAsync(name);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run => Assert.True(run.Succeeded && run.Trigger == "startup"));
        var seen = Probe.For(name).Runs;
        Assert.Equal(2, seen.Count);
        Assert.All(seen, s => Assert.False(s.Timer.IsPastDue));
        Assert.Equal(DateTime.MinValue, seen[0].Timer.ScheduleStatus!.Last);
        Assert.Equal(runs[0].ScheduledFor!.Value.UtcDateTime, seen[1].Timer.ScheduleStatus!.Last);
        Assert.Equal(runs[0].FinishedAt.UtcDateTime, seen[1].Timer.ScheduleStatus!.LastUpdated);
        // An hourly timer: Next is the coming hour, not the start-up instant.
        Assert.Equal(CrontabSchedule.Parse("0 0 * * * *", new() { IncludingSeconds = true }).GetNextOccurrence(runs[1].StartedAt.UtcDateTime), seen[1].Timer.ScheduleStatus!.Next);
    }
}
