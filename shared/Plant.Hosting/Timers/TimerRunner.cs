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

    /// <summary>Another process already ran this occurrence.</summary>
    AlreadyRan,
}

/// <summary>
/// Runs a timer function once, under its advisory lock, and records the run and the schedule's next occurrence.
/// The in-process scheduler and the admin route both come through here, so runs of one timer never overlap.
/// </summary>
internal sealed class TimerRunner(HostStore store, FunctionExecutor executor, IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>How late a scheduled run may start before it counts as past due.</summary>
    private static readonly TimeSpan s_lateness = TimeSpan.FromSeconds(1);

    public async Task<(TimerRunOutcome Outcome, Guid InvocationId)> TryRunAsync(
        FunctionDescriptor function, TimerTrigger trigger, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid();
        await using var lease = await store.TryLockTimerAsync(function.Name, cancellationToken);
        if (lease is null)
        {
            return (TimerRunOutcome.Busy, invocationId);
        }

        // Read under the lock: if another instance ran this occurrence while we waited, it moved Next past now.
        var status = await store.GetTimerStatusAsync(function.Name, cancellationToken);
        var started = time.GetUtcNow();
        if (trigger is TimerTrigger.Schedule or TimerTrigger.CatchUp && status is not null && status.Next > started)
        {
            return (TimerRunOutcome.AlreadyRan, invocationId);
        }

        var info = new TimerInfo
        {
            ScheduleStatus = new ScheduleStatus
            {
                Last = status?.Last?.UtcDateTime ?? DateTime.MinValue,
                Next = function.Schedule!.GetNextOccurrence(started).UtcDateTime,
                LastUpdated = status?.LastUpdated.UtcDateTime ?? DateTime.MinValue,
            },
            IsPastDue = trigger == TimerTrigger.CatchUp || trigger == TimerTrigger.Schedule && started - occurrence > s_lateness,
        };

        string? error = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                await executor.ExecuteAsync(function, scope.ServiceProvider, invocationId.ToString(), Reason(trigger, occurrence), null, info, cancellationToken);
            }
            catch (Exception e)
            {
                // The executor has logged it with the invocation id; the schedule goes on.
                error = $"{e.GetType().Name}: {e.Message}";
            }
        }

        var finished = time.GetUtcNow();
        // Recorded even when shutting down, so the next start does not mistake a finished run for a missed one.
        await store.RecordTimerRunAsync(
            new TimerRun(function.Name, invocationId, TriggerName(trigger), occurrence, function.Schedule.GetNextOccurrence(finished), started, finished, error),
            CancellationToken.None);
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
