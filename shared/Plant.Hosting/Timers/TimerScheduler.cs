using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Functions;

namespace Plant.Hosting.Timers;

/// <summary>
/// Runs the timer functions in-process (locally and on always-on instances). Each timer has its own loop: it sleeps
/// until the occurrence stored in PostgreSQL, then lets <see cref="TimerRunner"/> race the other instances for it.
/// </summary>
internal sealed class TimerScheduler(
    IReadOnlyList<FunctionDescriptor> timers, TimerRunner runner, HostStore store, TimeProvider time, ILogger<TimerScheduler> logger)
    : BackgroundService
{
    /// <summary>Longest sleep before re-reading the status, which another instance may have moved.</summary>
    private static readonly TimeSpan s_maxSleep = TimeSpan.FromMinutes(1);

    /// <summary>How soon to look again when another instance holds the timer's lock.</summary>
    private static readonly TimeSpan s_busyRetry = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(timer => RunLoopAsync(timer, stoppingToken)));

    private async Task RunLoopAsync(FunctionDescriptor timer, CancellationToken stoppingToken)
    {
        // Let start-up finish first: a slow timer must not hold up the host.
        await Task.Yield();
        var starting = true;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StepAsync(timer, starting, stoppingToken);
                starting = false;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is unreachable or the host's bookkeeping failed: keep the schedule alive and retry.
                // Until a step succeeds the loop is still starting, so a catch-up is not lost to a late database.
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures, 6))));
                logger.LogError(e, "Timer '{FunctionName}' could not be scheduled; retrying in {Delay}s", timer.Name, delay.TotalSeconds);
                await DelayAsync(delay, stoppingToken);
            }
        }
    }

    private async Task StepAsync(FunctionDescriptor timer, bool starting, CancellationToken stoppingToken)
    {
        var status = await store.GetTimerStatusAsync(timer.Name, stoppingToken);
        var now = time.GetUtcNow();
        if (starting)
        {
            // As in Azure Functions: an occurrence missed while no host ran is caught up once, past due, and that
            // run stands in for RunOnStartup; without the monitor (UseMonitor = false) it is not. An occurrence only
            // just due is left to the regular path below.
            if (timer.Timer!.UseMonitor && status is not null && now - status.Next > TimerRunner.Lateness)
            {
                await runner.TryRunAsync(timer, TimerTrigger.CatchUp, status.Next, null, stoppingToken);
                return;
            }

            if (timer.Timer.RunOnStartup)
            {
                await runner.TryRunAsync(timer, TimerTrigger.Startup, null, null, stoppingToken);
                return;
            }
        }

        var due = status?.Next is { } stored && (timer.Timer!.UseMonitor || stored >= now - TimerRunner.Lateness) ? stored : timer.Timer!.NextAfter(now);
        if (due > now)
        {
            var wait = due - now;
            logger.LogDebug("Timer '{FunctionName}' waits for its occurrence at {Due:O}", timer.Name, due);
            await DelayAsync(wait < s_maxSleep ? wait : s_maxSleep, stoppingToken);
            if (wait > s_maxSleep)
            {
                return;
            }
        }

        var (outcome, _) = await runner.TryRunAsync(timer, TimerTrigger.Schedule, due, null, stoppingToken);
        if (outcome == TimerRunOutcome.Busy)
        {
            // Not an error: another instance is running it (and will move the status on), or a dead one's session
            // has not yet been ended by PostgreSQL.
            logger.LogDebug("Timer '{FunctionName}' is running in another process; looking again in {Delay}s", timer.Name, s_busyRetry.TotalSeconds);
            await DelayAsync(s_busyRetry, stoppingToken);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
