using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Testing.Hosting;
using Plant.Hosting.Timers;
using Plant.Testing;

namespace Plant.Hosting.Tests.Timers;

public sealed class LockedTimerFunctions
{
    public const string Name = "LockHeldElsewhere";

    [Function(Name)]
    public static void Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

public sealed class ShutdownFunctions
{
    public const string Name = "LockShutdown";

    [Function(Name)]
    public static async Task Run([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context, CancellationToken ct)
    {
        var probe = Probe.For(context);
        using (probe.Enter(context, timer).Scope)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                // Clean-up that takes a while: the host must wait for it before it records the run and lets go of the lock.
                await Task.Delay(200, CancellationToken.None);
                probe.Exited = true;
            }
        }
    }
}

/// <summary>The timer's advisory lock: who holds it decides who runs, and PostgreSQL frees it with a dead session.</summary>
public sealed class TimerLockTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private readonly HostTables _tables = new(database.DataSource);

    [Fact]
    public async Task While_another_session_holds_the_lock_nothing_runs_and_admin_answers_409_and_once_that_session_dies_the_timer_runs()
    {
        const string name = LockedTimerFunctions.Name;
        await _tables.Store.EnsureSchemaAsync(CancellationToken.None);
        // Another process's session: its own connection, outside the pools of the host and of the test.
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand("select pg_try_advisory_lock(@ns, @key)", holder))
        {
            take.Parameters.AddWithValue("ns", HostStore.TimerLockNamespace);
            take.Parameters.AddWithValue("key", HostStore.LockKey(name));
            Assert.True((bool)(await take.ExecuteScalarAsync())!);
        }

        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(LockedTimerFunctions)], HostTables.InProcess(), HostTables.DebugTimersHostJson);
        await Eventually.UntilLoggedAsync(host, HostTables.Busy(name));
        using (var response = await host.Client.SendAsync(AdminRoute.Invoke(name)))
        {
            var problem = await AdminRoute.ReadProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal(Problems.TypePrefix + Problems.Conflict, problem.GetProperty("type").GetString());
        }

        Assert.Empty(await _tables.RunsAsync(name));
        Assert.Empty(Probe.For(name).Runs);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Level >= LogLevel.Warning);

        // The holder's process dies: PostgreSQL ends its session, and the lock with it.
        await using (var kill = database.DataSource.CreateCommand("select pg_terminate_backend(@pid)"))
        {
            kill.Parameters.AddWithValue("pid", holder.ProcessID);
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        }

        var run = (await _tables.WaitForRunsAsync(name, 1))[0];
        Assert.Equal("schedule", run.Trigger);
        Assert.True(run.Succeeded);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Stopping_the_host_cancels_a_running_timer_waits_for_it_and_records_the_run_leaving_its_occurrence_due()
    {
        const string name = ShutdownFunctions.Name;
        var probe = Probe.For(name);
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(ShutdownFunctions)], HostTables.InProcess());
        await probe.Entered.Task.WaitAsync(HostTables.Patience);

        await host.StopAsync();

        Assert.True(probe.Exited);
        var run = Assert.Single(await _tables.RunsAsync(name));
        Assert.Equal(probe.Runs[0].InvocationId, run.InvocationId.ToString());
        Assert.Equal("schedule", run.Trigger);
        Assert.False(run.Succeeded);
        Assert.Equal("TaskCanceledException: A task was canceled.", run.Error);
        // Cut short, not finished: the next start catches the occurrence up.
        var status = await _tables.StatusAsync(name);
        Assert.Null(status?.Last);
        Assert.Equal(run.ScheduledFor, status?.Next);
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith($"Executed 'Functions.{name}' (Cancelled, Id={run.InvocationId}, ", StringComparison.Ordinal));
    }
}
