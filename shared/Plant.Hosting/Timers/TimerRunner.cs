using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Functions;

namespace Plant.Hosting.Timers;

/// <summary>Why a timer runs; stored with each run.</summary>
internal enum TimerTrigger
{
    Schedule,
    CatchUp,
    Startup,
    Admin,
}

internal enum TimerRunOutcome
{
    Succeeded,
    Failed,

    /// <summary>Another process holds the timer's lock: it is running there now.</summary>
    Busy,

    /// <summary>The stored next occurrence is still ahead: another process already ran the one asked for.</summary>
    NotDue,

    /// <summary>This Cloud Scheduler delivery already succeeded.</summary>
    Duplicate,
}

/// <summary>
/// Runs a timer function once, under its advisory lock, and records the run and the schedule's next occurrence.
/// The in-process scheduler and the admin route both come through here, so runs of one timer never overlap.
/// </summary>
/// <remarks>
/// Runs are at least once: the status moves on only after the run, so a process that dies between the run and
/// its record leaves the occurrence due, and it runs again (past due) on the next start or on another instance.
/// </remarks>
internal sealed class TimerRunner(HostStore store, FunctionExecutor executor, IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>How late a scheduled run may start before it counts as past due.</summary>
    internal static readonly TimeSpan Lateness = TimeSpan.FromSeconds(1);

    /// <param name="function">A timer function.</param>
    /// <param name="trigger">Why it runs.</param>
    /// <param name="occurrence">
    /// For <see cref="TimerTrigger.Schedule"/> and <see cref="TimerTrigger.CatchUp"/>, the occurrence to run when the
    /// timer has no stored status yet (otherwise the stored one decides); for the others, what the run is for, or
    /// null for now.
    /// </param>
    /// <param name="delivery">The Cloud Scheduler delivery of an admin run, claimed under the lock.</param>
    /// <param name="cancellationToken">Cancels the run (shutdown); the run is recorded all the same.</param>
    public Task<(TimerRunOutcome Outcome, Guid InvocationId)> TryRunAsync(
        FunctionDescriptor function, TimerTrigger trigger, DateTimeOffset? occurrence, SchedulerDelivery? delivery, CancellationToken cancellationToken)
        // Run again when the lock's pooled connection was from before a database restart: nothing has run yet then.
        => StaleSessions.RunAsync(() => TryRunOnceAsync(function, trigger, occurrence, delivery, cancellationToken), () => true);

    private async Task<(TimerRunOutcome Outcome, Guid InvocationId)> TryRunOnceAsync(
        FunctionDescriptor function, TimerTrigger trigger, DateTimeOffset? occurrence, SchedulerDelivery? delivery, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid();
        await using var lease = await store.TryLockTimerAsync(function.Name, cancellationToken);
        if (lease is null)
        {
            return (TimerRunOutcome.Busy, invocationId);
        }

        // Read under the lock: the caller read the status before it slept, and another instance may have run
        // that occurrence since. The stored next occurrence is the one due, and only once it has come.
        var status = await lease.GetStatusAsync(cancellationToken);
        var started = time.GetUtcNow();
        DateTimeOffset scheduledFor;
        if (trigger is TimerTrigger.Schedule or TimerTrigger.CatchUp)
        {
            // Without the monitor a stored occurrence older than the one asked for was missed, and stays missed.
            var stored = function.Timer!.UseMonitor || status?.Next >= occurrence ? status?.Next : null;
            scheduledFor = stored ?? occurrence ?? throw new ArgumentNullException(nameof(occurrence));
            if (scheduledFor > started)
            {
                return (TimerRunOutcome.NotDue, invocationId);
            }
        }
        else
        {
            scheduledFor = occurrence ?? started;
        }

        if (delivery is not null && !await lease.TryClaimDeliveryAsync(delivery, invocationId, cancellationToken))
        {
            return (TimerRunOutcome.Duplicate, invocationId);
        }

        // As in Azure: with UseMonitor = false there is no schedule status, and nothing is ever past due.
        var monitored = function.Timer!.UseMonitor;
        var info = new TimerInfo
        {
            ScheduleStatus = monitored
                ? new ScheduleStatus
                {
                    Last = status?.Last?.UtcDateTime ?? DateTime.MinValue,
                    Next = function.Timer.NextAfter(started).UtcDateTime,
                    LastUpdated = status?.LastUpdated.UtcDateTime ?? DateTime.MinValue,
                }
                : null,
            IsPastDue = monitored && (trigger == TimerTrigger.CatchUp || trigger == TimerTrigger.Schedule && started - scheduledFor > Lateness),
        };

        string? error = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                await executor.ExecuteAsync(function, scope.ServiceProvider, invocationId.ToString(), Reason(trigger, scheduledFor), null, info, cancellationToken);
            }
            catch (Exception e)
            {
                // The executor has logged it with the invocation id; the schedule goes on.
                error = $"{e.GetType().Name}: {e.Message}";
            }
        }

        var finished = time.GetUtcNow();
        // Recorded even when shutting down (so not with the cancelled token). A failed run is complete and the
        // schedule moves on; a run cut short by shutdown is not, so its occurrence stays due for the next start.
        var completed = error is null || !cancellationToken.IsCancellationRequested;
        await lease.RecordRunAsync(
            new TimerRun(function.Name, invocationId, TriggerName(trigger), scheduledFor, function.Timer.NextAfter(finished), started, finished, error),
            completed, delivery, CancellationToken.None);
        return (error is null ? TimerRunOutcome.Succeeded : TimerRunOutcome.Failed, invocationId);
    }

    private static string Reason(TimerTrigger trigger, DateTimeOffset occurrence) => trigger switch
    {
        TimerTrigger.Schedule => $"Timer fired at {occurrence:O}",
        TimerTrigger.CatchUp => $"Timer catching up on the occurrence missed at {occurrence:O}",
        TimerTrigger.Startup => "Timer run on startup",
        _ => "This function was programmatically called via the host APIs.",
    };

    private static string TriggerName(TimerTrigger trigger) => trigger switch
    {
        TimerTrigger.Schedule => "schedule",
        TimerTrigger.CatchUp => "catch-up",
        TimerTrigger.Startup => "startup",
        _ => "admin",
    };
}
