using NCrontab;

namespace Plant.Hosting.Timers;

/// <summary>
/// A timer schedule written as an NCRONTAB expression, the format of Azure Functions' <c>TimerTrigger</c>, parsed
/// and evaluated by NCrontab (the library Azure's timer extension uses), in UTC.
/// </summary>
/// <remarks>
/// Six fields are <c>second minute hour day-of-month month day-of-week</c> (Azure Functions' form); five fields
/// are classic cron and fire on second 0. When both day fields are restricted, a day must match both, as in
/// NCrontab: <c>0 0 0 13 * FRI</c> fires only on Friday the 13th. A schedule that can never fire, such as
/// <c>0 0 0 30 2 *</c> (30 February), is refused by <see cref="Parse"/> rather than found out by a search: any
/// date that exists falls on every weekday within one 400-year Gregorian cycle.
/// </remarks>
public sealed class CronSchedule
{
    private static readonly DateTime s_cycleStart = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly CrontabSchedule _schedule;

    private CronSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        _schedule = schedule;
    }

    /// <summary>The expression exactly as it was given to <see cref="Parse"/>.</summary>
    public string Expression { get; }

    /// <summary>Parses an NCRONTAB expression of 6 fields (with seconds) or 5 fields (classic cron).</summary>
    /// <exception cref="CronFormatException">The expression is malformed or can never fire.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new CronFormatException(
                $"\"{expression}\" has {fields} fields; expected 6 (second minute hour day-of-month month day-of-week) or 5 (without the second).");
        }

        CrontabSchedule schedule;
        try
        {
            schedule = CrontabSchedule.Parse(expression.Trim(), new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
        }
        catch (CrontabException e)
        {
            throw new CronFormatException($"\"{expression}\" is not an NCRONTAB expression: {e.Message}");
        }

        var end = s_cycleStart.AddYears(400);
        return schedule.GetNextOccurrence(s_cycleStart, end) < end
            ? new CronSchedule(expression, schedule)
            : throw new CronFormatException($"\"{expression}\" can never fire: no date matches its day-of-month, month and day-of-week.");
    }

    /// <summary>The first time the schedule fires strictly after <paramref name="after"/>, in UTC, on a whole second.</summary>
    /// <exception cref="InvalidOperationException">That would fall after the end of the calendar (9999-12-31).</exception>
    public DateTimeOffset GetNextOccurrence(DateTimeOffset after)
    {
        var next = _schedule.GetNextOccurrence(after.UtcDateTime, DateTime.MaxValue);
        return next < DateTime.MaxValue
            ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc))
            : throw new InvalidOperationException($"The schedule \"{Expression}\" has no occurrence after {after:O} before the end of the calendar.");
    }

    public override string ToString() => Expression;
}

/// <summary>A timer schedule that does not parse, or can never fire; the message says which and why.</summary>
public sealed class CronFormatException(string message) : FormatException(message);
