using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Plant.Hosting.Functions;

namespace Plant.Hosting.Tests.Timers;

public sealed class ConfiguredTimer
{
    [Function("Configured")]
    public static void Run([TimerTrigger("%SCHEDULE%")] TimerInfo timer)
    {
    }
}

/// <summary>
/// Schedules as the host reads them from <c>[TimerTrigger]</c>: NCrontab's parser and evaluator, as Azure's timer
/// extension uses them (six fields with seconds, five without), in UTC; and what it refuses at start-up.
/// </summary>
public sealed class TimerScheduleReadingTests
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
    [InlineData("0 0 0 * * 0", "2025-03-14T00:00:00Z", "2025-03-16T00:00:00Z")]
    [InlineData("  0   0  0 *  * sat ", "2025-03-14T00:00:00Z", "2025-03-15T00:00:00Z")]
    public void Next_occurrence_of_known_schedules_is_the_expected_utc_second(
        string expression, string after, string expected)
    {
        var schedule = Read(expression);

        var next = schedule.NextAfter(DateTimeOffset.Parse(after, CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void Day_of_month_and_day_of_week_must_both_match_as_in_NCrontab()
    {
        var schedule = Read("0 0 0 13 * FRI");

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
    [InlineData("0 0 0 * * SUN", "0 0 0 * * sun")]
    [InlineData("0 0 0 * * Mon-Fri", "0 0 0 * * 1-5")]
    [InlineData("0 0 0 1 jan-Mar,JUL *", "0 0 0 1 1,2,3,7 *")]
    [InlineData("0 0 0 1 FEB/3 *", "0 0 0 1 2,5,8,11 *")]
    [InlineData("0 0 0 * * */2", "0 0 0 * * 0,2,4,6")]
    [InlineData("0 0 0 * * 1/2", "0 0 0 * * 1,3,5")]
    [InlineData("0 0 0 */10 * *", "0 0 0 1,11,21,31 * *")]
    [InlineData("0 0-59/30 * * * *", "0 0,30 * * * *")]
    [InlineData("30 * * * *", "0 30 * * * *")]
    public void Equivalent_spellings_give_the_same_occurrences(string expression, string equivalent)
    {
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(
            Occurrences(Read(equivalent), from, 50),
            Occurrences(Read(expression), from, 50));
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("* * * * * * *")]
    [InlineData("60 * * * * *")]
    [InlineData("0 61 * * * *")]
    [InlineData("61 * * * *")]
    [InlineData("* 1,,2 * * * *")]
    [InlineData("* 1x * * * *")]
    [InlineData("* * 24 * * *")]
    [InlineData("* * * 0 * *")]
    [InlineData("* * * 32 * *")]
    [InlineData("* * * * 13 *")]
    [InlineData("* * * * FOO *")]
    [InlineData("* * * * * 8")]
    [InlineData("* * * * * FUNDAY")]
    [InlineData("0 0 0 * * 7")] // NCrontab, as Azure, knows Sunday as 0 only
    [InlineData("0 0 0 ? * SAT")] // and no Quartz '?'.
    public void A_malformed_expression_stops_start_up_naming_the_function_and_quoting_it(string expression)
    {
        var error = Assert.Throws<StartupException>(() => Read(expression));

        Assert.StartsWith("Function 'Configured' has an invalid schedule: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{expression}\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 0 30 2 *")]
    [InlineData("0 0 0 31 4,6,9,11 *")]
    [InlineData("0 0 0 30-31 FEB *")]
    public void A_schedule_that_can_never_fire_is_refused(string expression)
    {
        var error = Assert.Throws<StartupException>(() => Read(expression));

        Assert.Contains("can never fire", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The schedule as the host reads it from a function's [TimerTrigger("%SCHEDULE%")].</summary>
    private static TimerBinding Read(string expression)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["SCHEDULE"] = expression }).Build();
        return FunctionIndexer.Index([new FunctionApp("timers", [typeof(ConfiguredTimer)])], configuration).Single().Timer!;
    }

    private static List<DateTimeOffset> Occurrences(TimerBinding schedule, DateTimeOffset from, int count)
    {
        var occurrences = new List<DateTimeOffset>();
        for (var next = from; occurrences.Count < count;)
        {
            next = schedule.NextAfter(next);
            occurrences.Add(next);
        }

        return occurrences;
    }
}
