using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using NCrontab;

namespace Plant.Hosting.Functions;

/// <summary>
/// Turns the functions Plant.Hosting.Generator indexed when each app compiled (names, triggers, routes and bindings
/// are checked there) into what the host serves, once, at start-up: the route parsed, the schedule read (a
/// <c>%Setting%</c> comes from configuration), and names unique across all the apps one process serves.
/// </summary>
internal static class FunctionIndexer
{
    public static IReadOnlyList<FunctionDescriptor> Index(IEnumerable<FunctionApp> apps, IConfiguration configuration)
    {
        var functions = new List<FunctionDescriptor>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var app in apps)
        {
            foreach (var type in app.FunctionTypes)
            {
                var indexed = FunctionIndex.Of(type);
                if (indexed.Count == 0)
                {
                    throw new StartupException($"{type.FullName} has no functions in a generated index: a class with [Function] methods needs Plant.Hosting.Generator as an analyzer of its project (functions/Directory.Build.targets).");
                }

                foreach (var function in indexed)
                {
                    var where = $"{type.FullName}.{function.Method.Name}";
                    // Function names are case-insensitive in Azure Functions too (routes, admin API, FUNCTION_TARGET);
                    // the generator checks one app, this the apps a process serves together.
                    if (!names.TryAdd(function.Name, where))
                    {
                        throw new StartupException($"Function name '{function.Name}' is used twice: by {names[function.Name]} and by {where}.");
                    }

                    functions.Add(Describe(app, function, configuration));
                }
            }
        }

        return functions;
    }

    private static FunctionDescriptor Describe(FunctionApp app, IndexedFunction function, IConfiguration configuration)
    {
        var http = function.AuthLevel is { } level ? new HttpBinding(level, function.HttpMethods) : null;
        return new FunctionDescriptor
        {
            Name = function.Name,
            AppName = app.Name,
            Method = function.Method,
            Definition = new HostFunctionDefinition(function.Method, function.Name, http is null ? "timerTrigger" : "httpTrigger", function.TriggerParameter),
            Http = http,
            Route = http is null ? null : function.Route,
            RoutePattern = http is null ? null : RoutePatternFactory.Parse(function.Route!),
            Timer = function.Timer is null ? null : ReadTimer(function.Name, function.Timer, configuration),
            BodyType = function.BodyType,
            Invoke = function.Invoke,
            PopulateMetadata = function.PopulateMetadata,
        };
    }

    /// <summary>
    /// The schedule as Azure's timer extension reads it, with NCrontab: six fields (with seconds) or five (without);
    /// <c>%Setting%</c> takes it from a setting. One that can never fire (30 February) is refused too: any date that
    /// exists falls on every weekday within one 400-year Gregorian cycle.
    /// </summary>
    private static TimerBinding ReadTimer(string name, TimerTriggerAttribute attribute, IConfiguration configuration)
    {
        var expression = attribute.Schedule ?? "";
        if (expression.Length > 2 && expression.StartsWith('%') && expression.EndsWith('%'))
        {
            var setting = expression[1..^1];
            expression = configuration[setting] ?? "";
            if (string.IsNullOrWhiteSpace(expression))
            {
                throw new StartupException($"Function '{name}' reads its schedule from the setting '{setting}', which is not set.");
            }
        }

        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new StartupException(
                $"Function '{name}' has an invalid schedule: \"{expression}\" has {fields} fields; expected 6 (second minute hour day-of-month month day-of-week) or 5 (without the second).");
        }

        CrontabSchedule schedule;
        try
        {
            schedule = CrontabSchedule.Parse(expression.Trim(), new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
        }
        catch (CrontabException e)
        {
            throw new StartupException($"Function '{name}' has an invalid schedule: \"{expression}\" is not an NCRONTAB expression: {e.Message}");
        }

        var cycleStart = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var cycleEnd = cycleStart.AddYears(400);
        return schedule.GetNextOccurrence(cycleStart, cycleEnd) < cycleEnd
            ? new TimerBinding(expression, schedule, attribute.RunOnStartup, attribute.UseMonitor)
            : throw new StartupException($"Function '{name}' has an invalid schedule: \"{expression}\" can never fire: no date matches its day-of-month, month and day-of-week.");
    }
}
