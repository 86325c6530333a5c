using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

#pragma warning disable CA1801, IDE0060 // The parameters are what these definitions are about.

public sealed class DigitFirstName
{
    [Function("1Function")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request)
    {
    }
}

public sealed class NameWithSpace
{
    [Function("My Function")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request)
    {
    }
}

public sealed class EmptyName
{
    [Function("")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request)
    {
    }
}

public sealed class FirstOfADuplicate
{
    [Function("Twice")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "one")] HttpRequest request)
    {
    }
}

public sealed class SecondOfADuplicate
{
    [Function("twice")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "two")] HttpRequest request)
    {
    }
}

public sealed class TwoTriggers
{
    [Function("Both")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, [TimerTrigger("0 * * * * *")] TimerInfo timer)
    {
    }
}

public sealed class NoTrigger
{
    [Function("Neither")]
    public static void Run(FunctionContext context)
    {
    }
}

public sealed class UnboundSimpleParameter
{
    [Function("Unbound")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id}")] HttpRequest request, int count)
    {
    }
}

public sealed class TwoBodies
{
    [Function("TwoBodies")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request, NewItem first, Order second)
    {
    }
}

public sealed class InterfaceParameter
{
    [Function("WithLogger")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request, ILogger log)
    {
    }
}

public sealed class BodyOnTimer
{
    [Function("TimerWithBody")]
    public static void Run([TimerTrigger("0 * * * * *")] TimerInfo timer, NewItem item)
    {
    }
}

public sealed class TriggerOnWrongType
{
    [Function("WrongTriggerType")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpContext context)
    {
    }
}

public sealed class UnclosedRoute
{
    [Function("Unclosed")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id")] HttpRequest request)
    {
    }
}

public sealed class UnknownConstraint
{
    [Function("NoSuchConstraint")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id:nosuch}")] HttpRequest request, string id)
    {
    }
}

public sealed class BadConstraintArgument
{
    [Function("BadMin")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{n:min(abc)}")] HttpRequest request, int n)
    {
    }
}

public sealed class AdminRoute
{
    [Function("Sneaky")]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/functions/x")] HttpRequest request)
    {
    }
}

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

public sealed class LongName
{
    public const string Name = "F12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678";

    [Function(Name)]
    public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request)
    {
    }
}

public sealed class StartupErrorTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData(typeof(DigitFirstName), "'1Function'")]
    [InlineData(typeof(NameWithSpace), "'My Function'")]
    [InlineData(typeof(EmptyName), "''")]
    [InlineData(typeof(LongName), "'" + LongName.Name + "'")] // 129 characters; Azure takes at most 128
    public void An_invalid_function_name_stops_start_up(Type type, string name)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [type]);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains("must start with a letter", e.Message, StringComparison.Ordinal);
        Assert.Contains(type.FullName!, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_functions_with_names_differing_only_in_case_stop_start_up()
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(FirstOfADuplicate), typeof(SecondOfADuplicate)]);
        Assert.Contains("used twice", e.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(FirstOfADuplicate).FullName!, e.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(SecondOfADuplicate).FullName!, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(TwoTriggers), "'Both'", "exactly one trigger")]
    [InlineData(typeof(NoTrigger), "'Neither'", "exactly one trigger")]
    [InlineData(typeof(UnboundSimpleParameter), "'Unbound'", "'count'")]
    [InlineData(typeof(TwoBodies), "'TwoBodies'", "'second'")]
    [InlineData(typeof(InterfaceParameter), "'WithLogger'", "'log'")]
    [InlineData(typeof(BodyOnTimer), "'TimerWithBody'", "'item'")]
    [InlineData(typeof(TriggerOnWrongType), "'WrongTriggerType'", "HttpRequest")]
    public void A_function_that_cannot_be_bound_stops_start_up_naming_it(Type type, string function, string why)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [type]);
        Assert.Contains(function, e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(UnclosedRoute), "'Unclosed'", "items/{id")]
    [InlineData(typeof(UnknownConstraint), "'NoSuchConstraint'", "nosuch")]
    [InlineData(typeof(BadConstraintArgument), "'BadMin'", "min(abc)")]
    [InlineData(typeof(AdminRoute), "'Sneaky'", "admin/")]
    public void An_invalid_route_stops_start_up_naming_the_function(Type type, string function, string route)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [type],
            hostJson: """{ "version": "2.0", "extensions": { "http": { "routePrefix": "" } } }""");
        Assert.Contains(function, e.Message, StringComparison.Ordinal);
        Assert.Contains(route, e.Message, StringComparison.Ordinal);
    }

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
    public async Task A_valid_schedule_from_a_setting_starts()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(ScheduleFromSetting)],
            new Dictionary<string, string?> { ["PURGE_SCHEDULE"] = "0 30 2 * * *" });
        using var response = await host.Client.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
