using System.Globalization;
using Plant.Hosting.Timers;


namespace Plant.Hosting.Tests.Timers;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("0 */5 * * * *", "2025-03-10T10:02:30Z", "2025-03-10T10:05:00Z")]
    [InlineData("0 */5 * * * *", "2025-03-10T10:55:00Z", "2025-03-10T11:00:00Z")]
    [InlineData("0 */5 * * * *", "2025-03-10T23:59:59Z", "2025-03-11T00:00:00Z")]
    [InlineData("0 0 9-17 * * MON-FRI", "2025-03-14T17:00:00Z", "2025-03-17T09:00:00Z")] // Friday evening to Monday.
    [InlineData("0 0 9-17 * * MON-FRI", "2025-03-17T09:00:00Z", "2025-03-17T10:00:00Z")]
    [InlineData("0 0 9-17 * * MON-FRI", "2025-03-15T08:00:00Z", "2025-03-17T09:00:00Z")] // Saturday.
    [InlineData("0 30 9 * JAN,JUL SUN", "2025-01-05T09:30:00Z", "2025-01-12T09:30:00Z")]
    [InlineData("0 30 9 * JAN,JUL SUN", "2025-01-26T09:30:00Z", "2025-07-06T09:30:00Z")] // Last Sunday of January.
    [InlineData("*/15 * * * * *", "2025-06-01T12:00:44.999Z", "2025-06-01T12:00:45Z")]
    [InlineData("*/15 * * * * *", "2025-06-01T12:00:45Z", "2025-06-01T12:01:00Z")]
    [InlineData("0 3 * * *", "2025-06-01T03:00:00Z", "2025-06-02T03:00:00Z")] // Five fields: second 0.
    [InlineData("0 3 * * *", "2025-06-01T02:59:59.9999999Z", "2025-06-01T03:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z")] // 2100 is not a leap year.
    [InlineData("0 0 0 29 2 MON", "2024-03-01T00:00:00Z", "2044-02-29T00:00:00Z")]
    [InlineData("59 59 23 31 12 *", "2025-06-15T00:00:00Z", "2025-12-31T23:59:59Z")]
    [InlineData("59 59 23 31 12 *", "2025-12-31T23:59:59Z", "2026-12-31T23:59:59Z")]
    [InlineData("0 0 12 31 * *", "2025-03-31T12:00:00Z", "2025-05-31T12:00:00Z")] // Skips 30 April.
    [InlineData("0 0 12 31 * *", "2025-05-31T12:00:00Z", "2025-07-31T12:00:00Z")]
    [InlineData("0 0 12 31 * *", "2025-07-31T12:00:00Z", "2025-08-31T12:00:00Z")]
    [InlineData("0 0 12 31 * *", "2025-08-31T12:00:00Z", "2025-10-31T12:00:00Z")]
    [InlineData("0 0 12 31 * *", "2025-12-31T12:00:00Z", "2026-01-31T12:00:00Z")]
    [InlineData("0 0 0 1 1 *", "2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00Z")]
    [InlineData("* * * * * *", "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z")]
    [InlineData("* * * * * *", "2025-01-01T00:00:00.0000001Z", "2025-01-01T00:00:01Z")]
    [InlineData("10/20 * * * * *", "2025-01-01T12:00:31Z", "2025-01-01T12:00:50Z")]
    [InlineData("10/20 * * * * *", "2025-01-01T12:00:50Z", "2025-01-01T12:01:10Z")]
    [InlineData("0 0 8-12/2 * * *", "2025-03-14T10:00:00Z", "2025-03-14T12:00:00Z")]
    [InlineData("0 0 8-12/2 * * *", "2025-03-14T12:00:00Z", "2025-03-15T08:00:00Z")]
    [InlineData("0 0 0 * * *", "2025-06-01T01:00:00+02:00", "2025-06-01T00:00:00Z")] // 23:00 UTC the day before.
    [InlineData("0 0 0 * * *", "2025-05-31T20:00:00-05:00", "2025-06-02T00:00:00Z")] // 01:00 UTC on 1 June.
    [InlineData("0 0 0 13 * FRI", "2025-01-01T00:00:00Z", "2025-06-13T00:00:00Z")] // Both day fields must match.
    [InlineData("0 0 0 * * 7", "2025-03-14T00:00:00Z", "2025-03-16T00:00:00Z")]
    [InlineData("0 0 0 * * 0", "2025-03-14T00:00:00Z", "2025-03-16T00:00:00Z")]
    [InlineData("0 0 0 ? * SAT", "2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z")]
    [InlineData("  0   0  0 *  * sat ", "2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z")]
    public void Next_occurrence_of_known_schedules_is_the_expected_utc_second(
        string expression, string after, string expected)
    {
        var schedule = CronSchedule.Parse(expression);

        var next = schedule.GetNextOccurrence(DateTimeOffset.Parse(after, CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void Day_of_month_and_day_of_week_must_both_match_as_in_NCrontab()
    {
        var schedule = CronSchedule.Parse("0 0 0 13 * FRI");

        var fridaysThe13th = Occurrences(schedule, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), 4);

        Assert.Equal(
            [
                new DateTimeOffset(2025, 6, 13, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 2, 13, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 13, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 13, 0, 0, 0, TimeSpan.Zero),
            ],
            fridaysThe13th);
    }

    [Theory]
    [InlineData("0 0 0 * * 0", "0 0 0 * * 7")]
    [InlineData("0 0 0 * * SUN", "0 0 0 * * sun")]
    [InlineData("0 0 0 * * 5-7", "0 0 0 * * FRI,SAT,SUN")]
    [InlineData("0 0 0 * * 0-7", "0 0 0 * * *")]
    [InlineData("0 0 0 * * Mon-Fri", "0 0 0 * * 1-5")]
    [InlineData("0 0 0 1 jan-Mar,JUL *", "0 0 0 1 1,2,3,7 *")]
    [InlineData("0 0 0 1 FEB/3 *", "0 0 0 1 2,5,8,11 *")]
    [InlineData("0 0 0 ? * *", "0 0 0 * * ?")]
    [InlineData("0 0 0 * * */2", "0 0 0 * * 0,2,4,6")]
    [InlineData("0 0 0 * * 1/2", "0 0 0 * * 1,3,5")]
    [InlineData("0 0 0 */10 * *", "0 0 0 1,11,21,31 * *")]
    [InlineData("0 0-59/30 * * * *", "0 0,30 * * * *")]
    [InlineData("30 * * * *", "0 30 * * * *")]
    public void Equivalent_spellings_give_the_same_occurrences(string expression, string equivalent)
    {
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(
            Occurrences(CronSchedule.Parse(equivalent), from, 50),
            Occurrences(CronSchedule.Parse(expression), from, 50));
    }

    [Theory]
    [InlineData("", "expression", "\"\"")]
    [InlineData("   ", "expression", "empty")]
    [InlineData("* * * *", "expression", "4 fields")]
    [InlineData("* * * * * * *", "expression", "7 fields")]
    [InlineData("60 * * * * *", "second", "60")]
    [InlineData("+5 * * * * *", "second", "+5")]
    [InlineData("99999999999 * * * * *", "second", "99999999999")]
    [InlineData("*/0 * * * * *", "second", "'0'")]
    [InlineData("*/61 * * * * *", "second", "61")]
    [InlineData("0 61 * * * *", "minute", "61")]
    [InlineData("61 * * * *", "minute", "61")]
    [InlineData("* 5-1 * * * *", "minute", "5-1")]
    [InlineData("* */-1 * * * *", "minute", "-1")]
    [InlineData("* 1,,2 * * * *", "minute", "1,,2")]
    [InlineData("* 1, * * * *", "minute", "1,")]
    [InlineData("* 1x * * * *", "minute", "1x")]
    [InlineData("* ? * * * *", "minute", "?")]
    [InlineData("* 1-2-3 * * * *", "minute", "2-3")]
    [InlineData("* 1/2/3 * * * *", "minute", "2/3")]
    [InlineData("* 3- * * * *", "minute", "3-")]
    [InlineData("* * 24 * * *", "hour", "24")]
    [InlineData("* * MON * * *", "hour", "MON")]
    [InlineData("* * * 0 * *", "day-of-month", "0")]
    [InlineData("* * * 32 * *", "day-of-month", "32")]
    [InlineData("* * * ?/2 * *", "day-of-month", "?/2")]
    [InlineData("0 0 0 30 2 *", "day-of-month", "30")]
    [InlineData("0 0 0 31 4,6,9,11 *", "day-of-month", "31")]
    [InlineData("0 0 0 30-31 FEB *", "day-of-month", "30-31")]
    [InlineData("* * * * 0 *", "month", "0")]
    [InlineData("* * * * 13 *", "month", "13")]
    [InlineData("* * * * FOO *", "month", "FOO")]
    [InlineData("* * * * SUN *", "month", "SUN")]
    [InlineData("* * * * JANUARY *", "month", "JANUARY")]
    [InlineData("* * * * DEC-JAN *", "month", "DEC-JAN")]
    [InlineData("* * * * * 8", "day-of-week", "8")]
    [InlineData("* * * * * FUNDAY", "day-of-week", "FUNDAY")]
    [InlineData("* * * * * MON-FOO", "day-of-week", "FOO")]
    [InlineData("* * * * * JAN", "day-of-week", "JAN")]
    [InlineData("* * * * * SAT-SUN", "day-of-week", "SAT-SUN")]
    [InlineData("* * * * * */8", "day-of-week", "8")]
    public void Invalid_expression_is_rejected_naming_the_field_and_the_bad_value(
        string expression, string field, string badValue)
    {
        var error = Assert.Throws<CronFormatException>(() => CronSchedule.Parse(expression));

        Assert.Equal(field, error.Field);
        Assert.StartsWith(field == "expression" ? "Invalid expression \"" : $"Invalid {field} field '", error.Message, StringComparison.Ordinal);
        Assert.Contains(badValue, error.Message, StringComparison.Ordinal);
        Assert.False(CronSchedule.TryParse(expression, out var schedule, out var tryError));
        Assert.Null(schedule);
        Assert.Equal(error.Message, tryError.Message);
        Assert.Equal(field, tryError.Field);
    }

    [Theory]
    [InlineData("0 61 * * * *", "Invalid minute field '61' in \"0 61 * * * *\": value 61 is out of range 0-59.")]
    [InlineData("* * * * * 1-9", "Invalid day-of-week field '1-9' in \"* * * * * 1-9\": value 9 is out of range 0-7.")]
    [InlineData("0 0 0 30 2 *", "Invalid day-of-month field '30' in \"0 0 0 30 2 *\": no such day exists in month field '2', so the schedule would never fire.")]
    [InlineData("* 5-1 * * * *", "Invalid minute field '5-1' in \"* 5-1 * * * *\": range '5-1' is reversed.")]
    [InlineData("1,,2 * * * *", "Invalid minute field '1,,2' in \"1,,2 * * * *\": the list has an empty item.")]
    [InlineData("* * *", "Invalid expression \"* * *\": it has 3 fields; expected 6 fields (second minute hour day-of-month month day-of-week) or 5 fields (minute hour day-of-month month day-of-week).")]
    public void Error_message_names_the_field_the_expression_and_the_problem(string expression, string message)
    {
        var error = Assert.Throws<CronFormatException>(() => CronSchedule.Parse(expression));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_rejects_null()
    {
        Assert.Throws<ArgumentNullException>(() => CronSchedule.Parse(null!));
    }

    [Fact]
    public void TryParse_of_null_reports_an_empty_expression()
    {
        Assert.False(CronSchedule.TryParse(null, out var schedule, out var error));

        Assert.Null(schedule);
        Assert.Equal("expression", error.Field);
    }

    [Fact]
    public void TryParse_of_a_valid_expression_returns_the_schedule_and_no_error()
    {
        Assert.True(CronSchedule.TryParse("0 */5 * * * *", out var schedule, out var error));

        Assert.Null(error);
        Assert.Equal("0 */5 * * * *", schedule.Expression);
    }

    [Fact]
    public void ToString_returns_the_expression_as_given()
    {
        var schedule = CronSchedule.Parse(" 0 30 9 * jan,JUL Sun");

        Assert.Equal(" 0 30 9 * jan,JUL Sun", schedule.ToString());
        Assert.Equal(" 0 30 9 * jan,JUL Sun", schedule.Expression);
    }

    [Fact]
    public void No_occurrence_before_the_end_of_the_calendar_throws_and_try_returns_false()
    {
        var schedule = CronSchedule.Parse("0 0 0 1 1 *");
        var after = new DateTimeOffset(9999, 6, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Throws<InvalidOperationException>(() => schedule.GetNextOccurrence(after));
        Assert.False(schedule.TryGetNextOccurrence(after, out var next));
        Assert.Equal(default, next);
        Assert.False(CronSchedule.Parse("* * * * * *").TryGetNextOccurrence(DateTimeOffset.MaxValue, out _));
    }

    [Fact]
    public void Last_second_of_the_calendar_is_still_an_occurrence()
    {
        var schedule = CronSchedule.Parse("* * * * * *");

        var next = schedule.GetNextOccurrence(new DateTimeOffset(9999, 12, 31, 23, 59, 58, 500, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData(20250101)]
    [InlineData(424242)]
    [InlineData(7)]
    public void Next_occurrence_matches_brute_force_reference(int seed)
    {
        var random = new Random(seed);
        var impossible = 0;
        for (var i = 0; i < 150; i++)
        {
            var generated = GeneratedSchedule.Create(random);
            if (!generated.CanEverFire())
            {
                var error = Assert.Throws<CronFormatException>(() => CronSchedule.Parse(generated.Expression));
                Assert.Equal("day-of-month", error.Field);
                impossible++;
                continue;
            }

            var schedule = CronSchedule.Parse(generated.Expression);
            var after = RandomStart(random);

            // Chained calls also check "strictly after" from an exact occurrence, not just from arbitrary times.
            for (var step = 0; step < 3; step++)
            {
                var expected = generated.FindNextBySkippingNonMatchingUnits(after.UtcDateTime, after.UtcDateTime.AddYears(100));
                Assert.True(expected.HasValue, Describe(seed, generated.Expression, after, DateTimeOffset.MinValue));
                var actual = schedule.GetNextOccurrence(after);
                Assert.Equal(
                    Describe(seed, generated.Expression, after, new DateTimeOffset(expected.Value)),
                    Describe(seed, generated.Expression, after, actual));
                after = actual;
            }
        }

        // The generator should mostly produce schedules that fire; a few impossible ones exercise the rejection.
        Assert.InRange(impossible, 0, 15);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(2024)]
    public void Next_occurrence_matches_a_second_by_second_walk_over_one_day(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 60; i++)
        {
            var generated = GeneratedSchedule.Create(random, denseDates: true);
            var schedule = CronSchedule.Parse(generated.Expression);
            var after = RandomStart(random);
            var windowEnd = after.UtcDateTime.AddDays(1);

            var expected = generated.FindNextBySecondBySecondWalk(after.UtcDateTime, windowEnd);
            var actual = schedule.GetNextOccurrence(after);

            if (expected is { } found)
            {
                Assert.Equal(
                    Describe(seed, generated.Expression, after, new DateTimeOffset(found)),
                    Describe(seed, generated.Expression, after, actual));
            }
            else
            {
                // Nothing fires within the window, so the answer must lie beyond it and match the fields.
                Assert.True(
                    actual.UtcDateTime >= windowEnd && generated.Matches(actual.UtcDateTime),
                    Describe(seed, generated.Expression, after, actual));
            }
        }
    }

    private static List<DateTimeOffset> Occurrences(CronSchedule schedule, DateTimeOffset from, int count)
    {
        var occurrences = new List<DateTimeOffset>();
        for (var next = from; occurrences.Count < count;)
        {
            next = schedule.GetNextOccurrence(next);
            occurrences.Add(next);
        }

        return occurrences;
    }

    private static string Describe(int seed, string expression, DateTimeOffset after, DateTimeOffset next) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"seed {seed}: \"{expression}\" after {after:O} -> {next.UtcDateTime:O}");

    private static readonly DateTime[] _startAnchors =
    [
        new(2024, 2, 28, 23, 59, 58, DateTimeKind.Utc),
        new(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc),
        new(2024, 2, 29, 23, 59, 59, 500, DateTimeKind.Utc),
        new(2023, 2, 28, 23, 59, 59, DateTimeKind.Utc),
        new(2100, 2, 28, 23, 59, 59, DateTimeKind.Utc),
        new(2100, 2, 28, 12, 0, 0, DateTimeKind.Utc),
        new(2025, 12, 31, 23, 59, 59, DateTimeKind.Utc),
        new(2025, 12, 31, 23, 59, 30, 250, DateTimeKind.Utc),
        new(2024, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc),
        new(2099, 12, 31, 23, 59, 59, DateTimeKind.Utc),
        new(2025, 4, 30, 23, 59, 59, DateTimeKind.Utc),
        new(2025, 1, 31, 23, 59, 59, DateTimeKind.Utc),
        new(2025, 6, 30, 23, 0, 0, DateTimeKind.Utc),
    ];

    private static readonly TimeSpan[] _offsets =
        [TimeSpan.Zero, TimeSpan.FromHours(5.5), TimeSpan.FromHours(-8), TimeSpan.FromHours(14)];

    private static DateTimeOffset RandomStart(Random random)
    {
        DateTime utc;
        switch (random.Next(4))
        {
            case 0:
                utc = _startAnchors[random.Next(_startAnchors.Length)];
                break;
            case 1:
                // Just before an anchor, with a sub-second part, so the search crosses the boundary itself.
                utc = _startAnchors[random.Next(_startAnchors.Length)]
                    .AddSeconds(-random.Next(0, 120))
                    .AddTicks(random.Next(0, (int)TimeSpan.TicksPerSecond));
                break;
            default:
                var first = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
                var last = new DateTime(2101, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
                utc = new DateTime(random.NextInt64(first, last), DateTimeKind.Utc);
                if (random.Next(2) == 0)
                {
                    utc = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
                }

                break;
        }

        return new DateTimeOffset(utc).ToOffset(_offsets[random.Next(_offsets.Length)]);
    }

    /// <summary>
    /// A random expression together with the values each field allows, worked out by plain enumeration as the
    /// text is generated, so the reference never depends on the parser under test.
    /// </summary>
    private sealed class GeneratedSchedule
    {
        private static readonly string[] _monthNames =
            ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

        private static readonly string[] _dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

        private readonly bool[] _seconds;
        private readonly bool[] _minutes;
        private readonly bool[] _hours;
        private readonly bool[] _daysOfMonth;
        private readonly bool[] _months;
        private readonly bool[] _daysOfWeek;

        private GeneratedSchedule(
            string expression, bool[] seconds, bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek)
        {
            Expression = expression;
            _seconds = seconds;
            _minutes = minutes;
            _hours = hours;
            _daysOfMonth = daysOfMonth;
            _months = months;
            _daysOfWeek = daysOfWeek;
        }

        public string Expression { get; }

        public static GeneratedSchedule Create(Random random, bool denseDates = false)
        {
            var withSeconds = random.Next(4) != 0;
            var seconds = withSeconds ? Field(random, 0, 59, null, 10) : (Text: "0", Allowed: Allow(59, 0, 0, 1));
            var minutes = Field(random, 0, 59, null, 10);
            var hours = Field(random, 0, 23, null, 10);
            var daysOfMonth = Field(random, 1, 31, null, denseDates ? 90 : 55);
            var months = Field(random, 1, 12, _monthNames, denseDates ? 90 : 50);
            var daysOfWeek = DayOfWeekField(random, denseDates ? 90 : 55);

            var parts = new List<string>();
            if (withSeconds)
            {
                parts.Add(seconds.Text);
            }

            parts.AddRange([minutes.Text, hours.Text, daysOfMonth.Text, months.Text, daysOfWeek.Text]);
            var separator = random.Next(5) == 0 ? "  " : " ";
            return new GeneratedSchedule(
                string.Join(separator, parts),
                seconds.Allowed,
                minutes.Allowed,
                hours.Allowed,
                daysOfMonth.Allowed,
                months.Allowed,
                daysOfWeek.Allowed);
        }

        public bool Matches(DateTime utc) =>
            _seconds[utc.Second] && _minutes[utc.Minute] && _hours[utc.Hour]
            && _daysOfMonth[utc.Day] && _months[utc.Month] && _daysOfWeek[(int)utc.DayOfWeek];

        // A date that exists in some year (29 February included) falls on every weekday sooner or later.
        public bool CanEverFire()
        {
            for (var month = 1; month <= 12; month++)
            {
                for (var day = 1; day <= DateTime.DaysInMonth(2024, month); day++)
                {
                    if (_months[month] && _daysOfMonth[day])
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        // Tries every second from the next whole second on.
        public DateTime? FindNextBySecondBySecondWalk(DateTime afterUtc, DateTime endUtc)
        {
            for (var t = NextWholeSecond(afterUtc); t < endUtc; t = t.AddSeconds(1))
            {
                if (Matches(t))
                {
                    return t;
                }
            }

            return null;
        }

        // The same walk, except that a day, hour or minute that cannot match is skipped whole: none of its
        // seconds could match either. That keeps decades-away dates within reach.
        public DateTime? FindNextBySkippingNonMatchingUnits(DateTime afterUtc, DateTime endUtc)
        {
            var t = NextWholeSecond(afterUtc);
            while (t < endUtc)
            {
                if (!(_daysOfMonth[t.Day] && _months[t.Month] && _daysOfWeek[(int)t.DayOfWeek]))
                {
                    t = t.Date.AddDays(1);
                }
                else if (!_hours[t.Hour])
                {
                    t = t.Date.AddHours(t.Hour + 1);
                }
                else if (!_minutes[t.Minute])
                {
                    t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
                }
                else if (!_seconds[t.Second])
                {
                    t = t.AddSeconds(1);
                }
                else
                {
                    return t;
                }
            }

            return null;
        }

        private static DateTime NextWholeSecond(DateTime utc) =>
            new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);

        private static (string Text, bool[] Allowed) Field(
            Random random, int min, int max, string[]? names, int wildcardPercent)
        {
            if (random.Next(100) < wildcardPercent)
            {
                return ("*", Allow(max, min, max, 1));
            }

            var allowed = new bool[max + 1];
            var count = random.Next(3) == 0 ? random.Next(2, 5) : 1;
            var items = new List<string>();
            for (var i = 0; i < count; i++)
            {
                items.Add(Item(random, min, max, names, allowed));
            }

            return (string.Join(',', items), allowed);
        }

        private static (string Text, bool[] Allowed) DayOfWeekField(Random random, int wildcardPercent)
        {
            if (random.Next(100) < wildcardPercent)
            {
                return (random.Next(4) == 0 ? "?" : "*", Allow(6, 0, 6, 1));
            }

            var allowed = new bool[7];
            var count = random.Next(3) == 0 ? random.Next(2, 4) : 1;
            var items = new List<string>();
            for (var i = 0; i < count; i++)
            {
                if (random.Next(5) == 0)
                {
                    // 7 is Sunday too: "7" alone, or a range ending on it.
                    var start = random.Next(1, 8);
                    items.Add(start == 7 ? "7" : Invariant($"{start}-7"));
                    for (var day = start; day <= 7; day++)
                    {
                        allowed[day % 7] = true;
                    }
                }
                else
                {
                    items.Add(Item(random, 0, 6, _dayNames, allowed));
                }
            }

            return (string.Join(',', items), allowed);
        }

        // One list item: a value, a range, or a step, marking the values it allows.
        private static string Item(Random random, int min, int max, string[]? names, bool[] allowed)
        {
            var a = random.Next(min, max + 1);
            var b = random.Next(a, max + 1);
            var step = random.Next(1, Math.Min(max - min + 1, 15) + 1);
            switch (random.Next(5))
            {
                case 0:
                    Mark(allowed, a, a, 1);
                    return Value(random, a, min, names);
                case 1:
                    Mark(allowed, a, b, 1);
                    return Value(random, a, min, names) + "-" + Value(random, b, min, names);
                case 2:
                    Mark(allowed, min, max, step);
                    return Invariant($"*/{step}");
                case 3:
                    Mark(allowed, a, b, step);
                    return Value(random, a, min, names) + "-" + Value(random, b, min, names) + Invariant($"/{step}");
                default:
                    Mark(allowed, a, max, step);
                    return Value(random, a, min, names) + Invariant($"/{step}");
            }
        }

        private static string Value(Random random, int value, int min, string[]? names)
        {
            if (names is null || random.Next(3) != 0)
            {
                return value.ToString(CultureInfo.InvariantCulture);
            }

            var name = names[value - min];
            return random.Next(3) switch
            {
                0 => name,
                1 => name.ToLowerInvariant(),
                _ => string.Concat(name[..1], name[1..].ToLowerInvariant()),
            };
        }

        private static void Mark(bool[] allowed, int from, int to, int step)
        {
            for (var value = from; value <= to; value += step)
            {
                allowed[value] = true;
            }
        }

        private static bool[] Allow(int max, int from, int to, int step)
        {
            var allowed = new bool[max + 1];
            Mark(allowed, from, to, step);
            return allowed;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
