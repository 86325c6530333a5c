using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

#pragma warning disable CA1801, IDE0060 // The parameters are what these definitions are about.

public sealed class BadMinute
{
    [Function("BadMinute")]
    public static void Run([TimerTrigger("0 99 * * * *")] TimerInfo timer)
    {
    }
}

public sealed class BadFieldCount
{
    [Function("BadFieldCount")]
    public static void Run([TimerTrigger("* * *")] TimerInfo timer)
    {
    }
}

public sealed class ScheduleFromSetting
{
    [Function("FromSetting")]
    public static void Run([TimerTrigger("%PURGE_SCHEDULE%")] TimerInfo timer)
    {
    }
}

#pragma warning restore CA1801, IDE0060

/// <summary>
/// What the host still checks when it starts: schedules, which may come from settings. Names, triggers, routes and
/// bindings are compile errors (Generator/FunctionIndexGeneratorTests).
/// </summary>
public sealed class StartupErrorTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData(typeof(BadMinute), "'BadMinute'", "minute")]
    [InlineData(typeof(BadFieldCount), "'BadFieldCount'", "expected")]
    public void An_invalid_schedule_stops_start_up_naming_the_function_and_the_field(Type type, string function, string field)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [type]);
        Assert.Contains(function, e.Message, StringComparison.Ordinal);
        // NCrontab's own words name the field ("[Minute] field").
        Assert.Contains(field, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_schedule_read_from_a_missing_setting_stops_start_up_naming_the_setting()
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(ScheduleFromSetting)]);
        Assert.Contains("'FromSetting'", e.Message, StringComparison.Ordinal);
        Assert.Contains("PURGE_SCHEDULE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_read_from_a_setting_is_parsed_too()
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(ScheduleFromSetting)],
            new Dictionary<string, string?> { ["PURGE_SCHEDULE"] = "0 0 25 * * *" });
        Assert.Contains("'FromSetting'", e.Message, StringComparison.Ordinal);
        Assert.Contains("hour", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_name_two_apps_of_one_process_both_use_stops_start_up_naming_both()
    {
        var e = Assert.Throws<StartupException>(() => Plant.Hosting.Functions.FunctionIndexer.Index(
            [new FunctionApp("first", [typeof(KeyFunctions)]), new FunctionApp("second", [typeof(KeyFunctions)])],
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));

        Assert.Contains("'AdminOnlyFromSettings' is used twice", e.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(KeyFunctions).FullName + ".AdminOnly", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_the_generator_did_not_index_stops_start_up_saying_what_to_reference()
    {
        var e = Assert.Throws<StartupException>(() => Plant.Hosting.Functions.FunctionIndexer.Index(
            [new FunctionApp("app", [typeof(StartupErrorTests)])], new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));

        Assert.Contains(typeof(StartupErrorTests).FullName!, e.Message, StringComparison.Ordinal);
        Assert.Contains("Plant.Hosting.Generator", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_schedule_from_a_setting_starts()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(ScheduleFromSetting)],
            new Dictionary<string, string?> { ["PURGE_SCHEDULE"] = "0 30 2 * * *" });
        using var response = await host.Client.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
