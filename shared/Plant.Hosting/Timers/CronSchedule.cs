using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Plant.Hosting.Timers;

/// <summary>
/// A timer schedule written as an NCRONTAB expression, the format of Azure Functions' <c>TimerTrigger</c>,
/// evaluated in UTC.
/// </summary>
/// <remarks>
/// <para>
/// Six fields are <c>second minute hour day-of-month month day-of-week</c> (Azure Functions' form); five
/// fields are classic cron <c>minute hour day-of-month month day-of-week</c> and fire on second 0. Each field
/// is <c>*</c>, a value, a range <c>a-b</c>, a step <c>*/n</c>, <c>a-b/n</c> or <c>a/n</c> (from <c>a</c> to
/// the field's maximum), or a comma-separated list of those. Months may be written <c>JAN</c>-<c>DEC</c> and
/// days of the week <c>SUN</c>-<c>SAT</c>, in any case. Day-of-week takes 0-7 where both 0 and 7 are Sunday;
/// <c>*</c> and <c>a/n</c> stop at 6 so that Sunday is not stepped onto twice. <c>?</c> is read as <c>*</c> in
/// the two day fields, for expressions written for Quartz.
/// </para>
/// <para>
/// When both day-of-month and day-of-week are restricted, a day must satisfy <em>both</em>: <c>0 0 0 13 * FRI</c>
/// fires only on Friday the 13th. Classic (Vixie) cron would fire on every 13th and every Friday instead. The
/// AND is deliberate: Azure Functions evaluates NCRONTAB with the NCrontab library, whose
/// <c>CrontabSchedule</c> first settles the date from the day-of-month and month fields and then, if that date
/// falls on a day of the week the schedule does not list, starts again from the end of that day. Matching it
/// keeps a schedule copied from an Azure function firing on the same days here.
/// </para>
/// <para>
/// A schedule that can never fire, such as <c>0 0 0 30 2 *</c> (30 February), is rejected by
/// <see cref="Parse"/> with a <see cref="CronFormatException"/> for the day-of-month field, rather than
/// discovered by a search that could run for ever. Every schedule that parses fires within a few decades:
/// any date that exists falls on every day of the week within at most one 400-year Gregorian cycle, and in
/// practice within about 40 years (29 February on a given weekday, across a skipped century leap year).
/// </para>
/// </remarks>
public sealed class CronSchedule
{
    private const int LastYear = 9999;

    private static readonly FieldSpec s_secondSpec = new("second", 0, 59, 59, null, false);
    private static readonly FieldSpec s_minuteSpec = new("minute", 0, 59, 59, null, false);
    private static readonly FieldSpec s_hourSpec = new("hour", 0, 23, 23, null, false);
    private static readonly FieldSpec s_dayOfMonthSpec = new("day-of-month", 1, 31, 31, null, true);
    private static readonly FieldSpec s_monthSpec = new(
        "month", 1, 12, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], false);

    // 7 is accepted as Sunday but * and a/n end at 6, and the parsed mask folds 7 onto bit 0.
    private static readonly FieldSpec s_dayOfWeekSpec = new(
        "day-of-week", 0, 7, 6, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], true);

    // The longest each month can be in any year, so 29 February counts as possible.
    private static readonly int[] s_longestMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    private const string FieldsHelp =
        "6 fields (second minute hour day-of-month month day-of-week) or 5 fields (minute hour day-of-month month day-of-week)";

    private readonly ulong _seconds;
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _daysOfMonth;
    private readonly ulong _months;

    // Indexed by the weekday of the 1st of a month: bit d is set when day d of such a month is an allowed
    // weekday, so the day-of-week test becomes one AND per month instead of a check per day.
    private readonly ulong[] _weekdayDaysByFirstWeekday;

    private CronSchedule(
        string expression, ulong seconds, ulong minutes, ulong hours, ulong daysOfMonth, ulong months, ulong daysOfWeek)
    {
        Expression = expression;
        _seconds = seconds;
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = daysOfMonth;
        _months = months;
        _weekdayDaysByFirstWeekday = new ulong[7];
        for (var first = 0; first < 7; first++)
        {
            ulong days = 0;
            for (var day = 1; day <= 31; day++)
            {
                if ((daysOfWeek & (1UL << ((first + day - 1) % 7))) != 0)
                {
                    days |= 1UL << day;
                }
            }

            _weekdayDaysByFirstWeekday[first] = days;
        }
    }

    /// <summary>The expression exactly as it was given to <see cref="Parse"/>.</summary>
    public string Expression { get; }

    /// <summary>Parses an NCRONTAB expression of 6 fields (with seconds) or 5 fields (classic cron).</summary>
    /// <param name="expression">The expression; fields are separated by any amount of white space.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    /// <exception cref="CronFormatException">
    /// The expression is malformed or can never fire; <see cref="CronFormatException.Field"/> names the field.
    /// </exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParse(expression, out var schedule, out var error) ? schedule : throw error;
    }

    /// <summary>Parses an expression without throwing, for validating configuration up front.</summary>
    /// <param name="expression">The expression; null is reported as empty.</param>
    /// <param name="schedule">The schedule, or null when the expression is invalid.</param>
    /// <param name="error">
    /// Why the expression is invalid, the exception <see cref="Parse"/> would have thrown; null on success.
    /// </param>
    /// <returns>Whether the expression is valid.</returns>
    public static bool TryParse(
        string? expression,
        [NotNullWhen(true)] out CronSchedule? schedule,
        [NotNullWhen(false)] out CronFormatException? error)
    {
        schedule = null;
        error = null;
        var text = expression ?? "";
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            var problem = fields.Length == 0
                ? "it is empty"
                : string.Create(CultureInfo.InvariantCulture, $"it has {fields.Length} fields");
            error = new CronFormatException(
                CronFormatException.ExpressionField, $"Invalid expression \"{text}\": {problem}; expected {FieldsHelp}.");
            return false;
        }

        var offset = fields.Length == 6 ? 0 : 1;
        ulong seconds = 1; // Classic five-field cron fires on second 0.
        if (offset == 0 && !TryParseField(fields[0], s_secondSpec, text, out seconds, out error))
        {
            return false;
        }

        if (!TryParseField(fields[1 - offset], s_minuteSpec, text, out var minutes, out error)
            || !TryParseField(fields[2 - offset], s_hourSpec, text, out var hours, out error)
            || !TryParseField(fields[3 - offset], s_dayOfMonthSpec, text, out var daysOfMonth, out error)
            || !TryParseField(fields[4 - offset], s_monthSpec, text, out var months, out error)
            || !TryParseField(fields[5 - offset], s_dayOfWeekSpec, text, out var daysOfWeek, out error))
        {
            return false;
        }

        if ((daysOfWeek & (1UL << 7)) != 0)
        {
            daysOfWeek = (daysOfWeek & ~(1UL << 7)) | 1UL;
        }

        // Only day-of-month and month can conflict: every existing date falls on every weekday some year.
        var longest = 0;
        for (var month = 1; month <= 12; month++)
        {
            if ((months & (1UL << month)) != 0)
            {
                longest = Math.Max(longest, s_longestMonth[month]);
            }
        }

        var firstDay = BitOperations.TrailingZeroCount(daysOfMonth);
        if (firstDay > longest)
        {
            error = Invalid(
                s_dayOfMonthSpec,
                fields[3 - offset],
                text,
                $"no such day exists in month field '{fields[4 - offset]}', so the schedule would never fire");
            return false;
        }

        schedule = new CronSchedule(text, seconds, minutes, hours, daysOfMonth, months, daysOfWeek);
        return true;
    }

    /// <summary>Finds the first time the schedule fires strictly after <paramref name="after"/>.</summary>
    /// <param name="after">Any instant; its offset only affects which UTC instant it is.</param>
    /// <returns>The occurrence in UTC (offset zero), on a whole second.</returns>
    /// <exception cref="InvalidOperationException">
    /// The next occurrence would fall after 9999-12-31 23:59:59 UTC, the end of <see cref="DateTimeOffset"/>.
    /// </exception>
    public DateTimeOffset GetNextOccurrence(DateTimeOffset after) =>
        TryGetNextOccurrence(after, out var next)
            ? next
            : throw new InvalidOperationException(
                $"The schedule \"{Expression}\" has no occurrence after {after:O} before the end of the calendar.");

    /// <summary>
    /// Finds the first time the schedule fires strictly after <paramref name="after"/>, or reports that it would
    /// fall beyond 9999-12-31 23:59:59 UTC. That is the only way to get false, since impossible schedules do not
    /// parse.
    /// </summary>
    /// <param name="after">Any instant; its offset only affects which UTC instant it is.</param>
    /// <param name="next">The occurrence in UTC (offset zero), on a whole second; default when there is none.</param>
    /// <returns>Whether there is an occurrence before the end of the calendar.</returns>
    public bool TryGetNextOccurrence(DateTimeOffset after, out DateTimeOffset next)
    {
        next = default;

        // An occurrence is a whole second, so the earliest candidate is the next whole second, whether after
        // is itself on one (strictly after) or part way through one.
        var ticks = after.UtcTicks;
        var startTicks = ticks - (ticks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond;
        if (startTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        var start = new DateTime(startTicks, DateTimeKind.Utc);
        int year = start.Year, month = start.Month, day = start.Day;
        int hour = start.Hour, minute = start.Minute, second = start.Second;

        // Each pass either returns or moves one field to its next allowed value, zeroing the finer fields,
        // so the number of passes is bounded by the months (not the seconds) between start and the answer.
        while (year <= LastYear)
        {
            var nextMonth = NextAllowed(_months, month);
            if (nextMonth < 0)
            {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0);
                continue;
            }

            if (nextMonth != month)
            {
                (month, day, hour, minute, second) = (nextMonth, 1, 0, 0, 0);
            }

            var nextDay = NextAllowed(AllowedDays(year, month), day);
            if (nextDay < 0)
            {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0);
                if (month > 12)
                {
                    (year, month) = (year + 1, 1);
                }

                continue;
            }

            if (nextDay != day)
            {
                (day, hour, minute, second) = (nextDay, 0, 0, 0);
            }

            var nextHour = NextAllowed(_hours, hour);
            if (nextHour < 0)
            {
                // Day 32 or 31 of a 30-day month finds no allowed day on the next pass, moving on a month.
                (day, hour, minute, second) = (day + 1, 0, 0, 0);
                continue;
            }

            if (nextHour != hour)
            {
                (hour, minute, second) = (nextHour, 0, 0);
            }

            var nextMinute = NextAllowed(_minutes, minute);
            if (nextMinute < 0)
            {
                (hour, minute, second) = (hour + 1, 0, 0);
                continue;
            }

            if (nextMinute != minute)
            {
                (minute, second) = (nextMinute, 0);
            }

            var nextSecond = NextAllowed(_seconds, second);
            if (nextSecond < 0)
            {
                (minute, second) = (minute + 1, 0);
                continue;
            }

            next = new DateTimeOffset(year, month, day, hour, minute, nextSecond, TimeSpan.Zero);
            return true;
        }

        return false;
    }

    /// <summary>Returns <see cref="Expression"/>, so logs show the schedule as it was configured.</summary>
    public override string ToString() => Expression;

    private ulong AllowedDays(int year, int month)
    {
        var firstWeekday = (int)new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc).DayOfWeek;
        var daysInMonth = DateTime.DaysInMonth(year, month);
        return _daysOfMonth & _weekdayDaysByFirstWeekday[firstWeekday] & ((2UL << daysInMonth) - 1);
    }

    // The smallest allowed value at or above from, or -1. Callers may pass one past a field's maximum
    // (hour 24, day 32, minute 60), which always lands on unset bits.
    private static int NextAllowed(ulong allowed, int from)
    {
        var remaining = allowed & (ulong.MaxValue << from);
        return remaining == 0 ? -1 : BitOperations.TrailingZeroCount(remaining);
    }

    private static bool TryParseField(
        string text, FieldSpec spec, string expression, out ulong allowed, [NotNullWhen(false)] out CronFormatException? error)
    {
        allowed = 0;
        foreach (var item in text.Split(','))
        {
            if (!TryParseItem(item, spec, out var itemAllowed, out var problem))
            {
                error = Invalid(spec, text, expression, problem);
                return false;
            }

            allowed |= itemAllowed;
        }

        error = null;
        return true;
    }

    private static bool TryParseItem(
        string item, FieldSpec spec, out ulong allowed, [NotNullWhen(false)] out string? problem)
    {
        allowed = 0;
        if (item.Length == 0)
        {
            problem = "the list has an empty item";
            return false;
        }

        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var range = slash < 0 ? item : item[..slash];
        var step = 1;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!TryParseNumber(stepText, out step) || step == 0)
            {
                problem = $"step '{stepText}' in '{item}' is not a whole number of at least 1";
                return false;
            }

            var span = spec.WildcardMax - spec.Min + 1;
            if (step > span)
            {
                problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"step {step} in '{item}' is larger than the {span} values of {spec.Min}-{spec.WildcardMax}");
                return false;
            }
        }

        int low, high;
        if (range == "*" || (range == "?" && spec.AcceptsQuestionMark && slash < 0))
        {
            (low, high) = (spec.Min, spec.WildcardMax);
        }
        else if (range == "?")
        {
            problem = spec.AcceptsQuestionMark
                ? $"'?' cannot take a step in '{item}'"
                : "'?' is only allowed in the day-of-month and day-of-week fields";
            return false;
        }
        else
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!TryParseValue(range, spec, out low, out problem))
                {
                    return false;
                }

                high = slash < 0 ? low : Math.Max(low, spec.WildcardMax);
            }
            else
            {
                if (!TryParseValue(range[..dash], spec, out low, out problem)
                    || !TryParseValue(range[(dash + 1)..], spec, out high, out problem))
                {
                    return false;
                }

                if (high < low)
                {
                    problem = $"range '{range}' is reversed";
                    return false;
                }
            }
        }

        for (var value = low; value <= high; value += step)
        {
            allowed |= 1UL << value;
        }

        problem = null;
        return true;
    }

    private static bool TryParseValue(string text, FieldSpec spec, out int value, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (text.Length == 0)
        {
            value = 0;
            problem = "a value is missing";
            return false;
        }

        if (char.IsAsciiDigit(text[0]))
        {
            if (!TryParseNumber(text, out value))
            {
                problem = text.All(char.IsAsciiDigit)
                    ? string.Create(CultureInfo.InvariantCulture, $"value {text} is out of range {spec.Min}-{spec.Max}")
                    : $"'{text}' is not a number";
                return false;
            }

            if (value < spec.Min || value > spec.Max)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"value {value} is out of range {spec.Min}-{spec.Max}");
                return false;
            }

            return true;
        }

        if (spec.Names is { } names)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (string.Equals(text, names[i], StringComparison.OrdinalIgnoreCase))
                {
                    value = spec.Min == 0 ? i : i + 1;
                    return true;
                }
            }

            value = 0;
            problem = $"'{text}' is not a number or one of the names {names[0]}-{names[^1]}";
            return false;
        }

        value = 0;
        problem = $"'{text}' is not a number";
        return false;
    }

    // Digits only: signs, white space, separators and non-ASCII digits are all garbage in a cron field.
    private static bool TryParseNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static CronFormatException Invalid(FieldSpec spec, string fieldText, string expression, string problem) =>
        new(spec.Name, $"Invalid {spec.Name} field '{fieldText}' in \"{expression}\": {problem}.");

    // Max is the largest value that may be written (7, Sunday, in day-of-week); WildcardMax is where * and a/n
    // stop; Names are the three-letter names of the values from Min on.
    private sealed record FieldSpec(
        string Name, int Min, int Max, int WildcardMax, string[]? Names, bool AcceptsQuestionMark);
}

/// <summary>A schedule expression is malformed or describes a schedule that can never fire.</summary>
public sealed class CronFormatException : FormatException
{
    /// <summary>The <see cref="Field"/> of a problem with the expression as a whole, such as its field count.</summary>
    public const string ExpressionField = "expression";

    /// <summary>Creates the exception for one field of an expression.</summary>
    /// <param name="field">
    /// <c>second</c>, <c>minute</c>, <c>hour</c>, <c>day-of-month</c>, <c>month</c>, <c>day-of-week</c> or
    /// <see cref="ExpressionField"/>.
    /// </param>
    /// <param name="message">A message naming the field and the value at fault.</param>
    public CronFormatException(string field, string message)
        : base(message) => Field = field;

    /// <summary>
    /// The field at fault: <c>second</c>, <c>minute</c>, <c>hour</c>, <c>day-of-month</c>, <c>month</c>,
    /// <c>day-of-week</c>, or <see cref="ExpressionField"/> when the expression is empty or has the wrong number of
    /// fields.
    /// </summary>
    public string Field { get; }
}
