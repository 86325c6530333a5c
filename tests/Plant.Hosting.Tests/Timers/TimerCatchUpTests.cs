using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NCrontab;
using Plant.Hosting.Timers;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Timers;

public sealed class HourlyCatchUpFunctions
{
    public const string Name = "CatchUpHourly";

    [Function(Name)]
    public static void Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

public sealed class RunOnStartupCatchUpFunctions
{
    public const string Name = "CatchUpRunOnStartup";

    [Function(Name)]
    public static void Run([TimerTrigger("0 0 * * * *", RunOnStartup = true)] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

public sealed class RestartFunctions
{
    public const string Name = "CatchUpAfterRestart";

    [Function(Name)]
    public static void Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

public sealed class LateDatabaseFunctions
{
    public const string Name = "CatchUpLateDatabase";

    [Function(Name)]
    public static void Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

public sealed class UnmonitoredFunctions
{
    public const string Name = "CatchUpUnmonitored";

    [Function(Name)]
    public static void Run([TimerTrigger("0 0 * * * *", UseMonitor = false, RunOnStartup = true)] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

/// <summary>What a host does at start with the occurrences it missed while no host was running.</summary>
public sealed class TimerCatchUpTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly CrontabSchedule s_hourly = CrontabSchedule.Parse("0 0 * * * *", new() { IncludingSeconds = true });
    private readonly HostTables _tables = new(database.DataSource);

    [Fact]
    public async Task A_start_after_downtime_makes_exactly_one_past_due_catch_up_run_and_then_waits_for_the_next_occurrence()
    {
        const string name = HourlyCatchUpFunctions.Name;
        // The host stopped before 12:00 and starts again after 14:00: it missed 13:00 and 14:00.
        var missed = HostTables.ThisHour().AddHours(-1);
        await _tables.SetStatusAsync(name, missed.AddHours(-1), missed);

        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(HourlyCatchUpFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson);
        await _tables.WaitForRunsAsync(name, 1);
        var status = await _tables.StatusAsync(name);
        await Eventually.UntilLoggedAsync(host, HostTables.WaitsFor(name, status!.Next));

        var run = Assert.Single(await _tables.RunsAsync(name));
        Assert.Equal("catch-up", run.Trigger);
        Assert.Equal(missed, run.ScheduledFor);
        Assert.True(run.Succeeded);
        Assert.Equal(new DateTimeOffset(s_hourly.GetNextOccurrence(run.FinishedAt.UtcDateTime), TimeSpan.Zero), status.Next);
        Assert.Equal(missed, status.Last);

        var seen = Assert.Single(Probe.For(name).Runs);
        Assert.Equal(run.InvocationId.ToString(), seen.InvocationId);
        Assert.True(seen.Timer.IsPastDue);
        Assert.Equal(missed.AddHours(-1).UtcDateTime, seen.Timer.ScheduleStatus!.Last);
        Assert.True(seen.Timer.ScheduleStatus!.Next > run.StartedAt.UtcDateTime);
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith($"Executing 'Functions.{name}' (Reason='Timer catching up on the occurrence missed at {missed:O}', Id={run.InvocationId})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missed_occurrence_is_caught_up_in_place_of_the_RunOnStartup_run_not_in_addition_to_it()
    {
        const string name = RunOnStartupCatchUpFunctions.Name;
        var missed = HostTables.ThisHour().AddHours(-1);
        await _tables.SetStatusAsync(name, missed.AddHours(-1), missed);

        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(RunOnStartupCatchUpFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson);
        await _tables.WaitForRunsAsync(name, 1);
        var status = await _tables.StatusAsync(name);
        await Eventually.UntilLoggedAsync(host, HostTables.WaitsFor(name, status!.Next));

        var run = Assert.Single(await _tables.RunsAsync(name));
        Assert.Equal("catch-up", run.Trigger);
        Assert.Equal(missed, run.ScheduledFor);
        Assert.True(Assert.Single(Probe.For(name).Runs).Timer.IsPastDue);
    }

    [Fact]
    public async Task Without_the_monitor_a_missed_occurrence_stays_missed_and_the_timer_is_told_no_schedule_status_as_in_Azure()
    {
        const string name = UnmonitoredFunctions.Name;
        var missed = HostTables.ThisHour().AddHours(-1);
        await _tables.SetStatusAsync(name, missed.AddHours(-1), missed);

        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(UnmonitoredFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson);
        await _tables.WaitForRunsAsync(name, 1);
        var status = await _tables.StatusAsync(name);
        await Eventually.UntilLoggedAsync(host, HostTables.WaitsFor(name, status!.Next));

        // RunOnStartup runs; the missed occurrence is not caught up in its place.
        var run = Assert.Single(await _tables.RunsAsync(name));
        Assert.Equal("startup", run.Trigger);
        Assert.Equal(new DateTimeOffset(s_hourly.GetNextOccurrence(run.FinishedAt.UtcDateTime), TimeSpan.Zero), status.Next);
        var seen = Assert.Single(Probe.For(name).Runs);
        Assert.Null(seen.Timer.ScheduleStatus);
        Assert.False(seen.Timer.IsPastDue);
    }

    [Fact]
    public async Task A_host_stopped_across_an_occurrence_catches_it_up_once_when_it_starts_again_and_then_keeps_its_schedule()
    {
        // Both hosts tell time by one fake clock, which the test moves: the downtime costs no real time.
        const string name = RestartFunctions.Name;
        var clock = new FakeTimeProvider(new DateTimeOffset(2032, 2, 3, 4, 5, 6, TimeSpan.Zero));
        await using (var host = await TestHost.StartAsync(database.ConnectionString, HostTables.OnClock(typeof(RestartFunctions), clock), HostTables.InProcess()))
        {
            await _tables.RunsAsClockMovesAsync(name, 1, clock);
        }

        var before = (await _tables.RunsAsync(name)).Count;
        var pending = (await _tables.StatusAsync(name))!.Next;
        // Down for a while: the stored occurrence is well in the past before the next start.
        clock.Advance(TimeSpan.FromSeconds(5));

        await using (var host = await TestHost.StartAsync(database.ConnectionString, HostTables.OnClock(typeof(RestartFunctions), clock), HostTables.InProcess()))
        {
            await _tables.RunsAsClockMovesAsync(name, before + 2, clock);
        }

        var runs = (await _tables.RunsAsync(name)).Skip(before).Take(2).ToList();
        Assert.Equal("catch-up", runs[0].Trigger);
        Assert.Equal(pending, runs[0].ScheduledFor);
        Assert.Equal("schedule", runs[1].Trigger);
        Assert.Equal(new DateTimeOffset(CrontabSchedule.Parse("* * * * * *", new() { IncludingSeconds = true }).GetNextOccurrence(runs[0].FinishedAt.UtcDateTime), TimeSpan.Zero), runs[1].ScheduledFor);
        Assert.All(runs, run => Assert.True(run.Succeeded));

        var seen = Probe.For(name).Runs.Skip(before).Take(2).ToList();
        Assert.Equal(runs.Select(r => r.InvocationId.ToString()), seen.Select(s => s.InvocationId));
        Assert.True(seen[0].Timer.IsPastDue);
        Assert.False(seen[1].Timer.IsPastDue);
    }

    [Fact]
    public async Task A_host_whose_database_is_unreachable_at_start_still_starts_and_runs_its_timers_once_the_database_is_there()
    {
        const string name = LateDatabaseFunctions.Name;
        var server = database.Server;
        var connectionString = await server.CreateDatabaseAsync("timers_late");
        await server.DropDatabaseAsync(connectionString);
        try
        {
            await using var host = await TestHost.StartAsync(connectionString, [typeof(LateDatabaseFunctions)], HostTables.InProcess());
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
            await Eventually.UntilAsync(() => Task.FromResult(host.Logs.Lines),
                lines => lines.Any(l => l.Level == LogLevel.Error && l.Message.StartsWith($"Timer '{name}' could not be scheduled; retrying in ", StringComparison.Ordinal)),
                "the scheduler to report the unreachable database");

            await using (var admin = NpgsqlDataSource.Create(server.AdminConnectionString))
            await using (var create = admin.CreateCommand($"create database \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\""))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var late = NpgsqlDataSource.Create(connectionString);
            var run = (await new HostTables(late).WaitForRunsAsync(name, 1))[0];
            Assert.Equal("schedule", run.Trigger);
            Assert.True(run.Succeeded);
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }
}
