namespace Plant.Hosting;

/// <summary>What a timer function is told about its schedule.</summary>
public sealed class TimerInfo
{
    public required ScheduleStatus ScheduleStatus { get; init; }

    /// <summary>
    /// True when this run is late: a catch-up for an occurrence missed while no host was running, or a scheduled
    /// run that started more than a second after its occurrence (its lock was held by a process that died, say).
    /// </summary>
    public bool IsPastDue { get; init; }
}

/// <summary>The persisted state of a timer's schedule (kept in PostgreSQL, shared by all instances).</summary>
public sealed class ScheduleStatus
{
    /// <summary>The occurrence the previous run was for; <see cref="DateTime.MinValue"/> before the first run.</summary>
    public DateTime Last { get; init; }

    /// <summary>The next occurrence, in UTC.</summary>
    public DateTime Next { get; init; }

    /// <summary>When the status was last written; <see cref="DateTime.MinValue"/> if never.</summary>
    public DateTime LastUpdated { get; init; }
}
