using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Timers;

namespace Plant.Hosting.Functions;

/// <summary>
/// Finds the <see cref="FunctionAttribute"/> methods of the apps and checks them once, at start-up: a wrong name,
/// a missing trigger, an unbindable parameter or a bad schedule stops the host with a message naming the function.
/// </summary>
internal static partial class FunctionIndexer
{
    public const BindingFlags MethodFlags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex ValidName();

    public static IReadOnlyList<FunctionDescriptor> Index(IEnumerable<FunctionApp> apps, IConfiguration configuration)
    {
        var functions = new List<FunctionDescriptor>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var app in apps)
        {
            foreach (var type in app.FunctionTypes)
            {
                foreach (var method in type.GetMethods(MethodFlags))
                {
                    var attribute = method.GetCustomAttribute<FunctionAttribute>();
                    if (attribute is null)
                    {
                        continue;
                    }

                    var where = $"{type.FullName}.{method.Name}";
                    var name = attribute.Name ?? "";
                    if (!ValidName().IsMatch(name))
                    {
                        throw new StartupException($"Function name '{name}' on {where} is invalid: it must start with a letter and hold only letters, digits, '_' and '-'.");
                    }

                    // Function names are case-insensitive in Azure Functions too (routes, admin API, FUNCTION_TARGET).
                    if (!names.TryAdd(name, where))
                    {
                        throw new StartupException($"Function name '{name}' is used twice: by {names[name]} and by {where}.");
                    }

                    functions.Add(Describe(app, type, method, name, configuration));
                }
            }
        }

        return functions;
    }

    private static FunctionDescriptor Describe(FunctionApp app, Type type, MethodInfo method, string name, IConfiguration configuration)
    {
        var parameters = method.GetParameters();
        var http = parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Where(a => a is not null).ToList();
        var timer = parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).Where(a => a is not null).ToList();
        if (http.Count + timer.Count != 1)
        {
            throw new StartupException($"Function '{name}' must have exactly one trigger parameter ([HttpTrigger] or [TimerTrigger]); it has {http.Count + timer.Count}.");
        }

        if (method.IsGenericMethodDefinition || type.IsAbstract && !method.IsStatic)
        {
            throw new StartupException($"Function '{name}' must be a non-generic method of a concrete class.");
        }

        var httpTrigger = http.SingleOrDefault();
        var route = httpTrigger is null ? null : (httpTrigger.Route ?? name).Trim('/');
        RoutePattern? pattern = null;
        if (route is not null)
        {
            try
            {
                pattern = RoutePatternFactory.Parse(route);
            }
            catch (RoutePatternException e)
            {
                throw new StartupException($"Function '{name}' has an invalid route '{route}': {e.Message}");
            }

            if (route.Equals("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("admin/", StringComparison.OrdinalIgnoreCase))
            {
                // Only reachable with an empty route prefix; admin/ belongs to the host.
                throw new StartupException($"Function '{name}' has the route '{route}', but admin/ is reserved for the host.");
            }
        }

        // The body can be read once: a second body parameter could only ever fail at run time.
        var bodies = parameters.Where(p => ParameterBinders.IsBody(p, pattern)).ToList();
        if (bodies.Count > 1)
        {
            throw new StartupException($"Function '{name}': parameter '{bodies[1].Name}' cannot be bound: only one parameter takes the JSON body, and '{bodies[0].Name}' already does.");
        }

        var timerTrigger = timer.SingleOrDefault();
        var schedule = timerTrigger is null ? null : ParseSchedule(name, timerTrigger.Schedule, configuration);

        return new FunctionDescriptor
        {
            Name = name,
            AppName = app.Name,
            Method = method,
            Definition = new FunctionDefinition(name, $"{type.FullName}.{method.Name}"),
            Http = httpTrigger,
            Route = route,
            RoutePattern = pattern,
            Timer = timerTrigger,
            Schedule = schedule,
            Binders = [.. parameters.Select(p => ParameterBinders.Create(name, p, pattern))],
            Factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(type, Type.EmptyTypes),
            AwaitResult = ResultAwaiter.For(method.ReturnType),
        };
    }

    private static CronSchedule ParseSchedule(string name, string schedule, IConfiguration configuration)
    {
        var expression = schedule;
        if (schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%'))
        {
            var setting = schedule[1..^1];
            expression = configuration[setting];
            if (string.IsNullOrWhiteSpace(expression))
            {
                throw new StartupException($"Function '{name}' reads its schedule from the setting '{setting}', which is not set.");
            }
        }

        try
        {
            return CronSchedule.Parse(expression);
        }
        catch (CronFormatException e)
        {
            throw new StartupException($"Function '{name}' has an invalid schedule: {e.Message}");
        }
    }

    /// <summary>Whether a request parameter type is bound from a route value rather than from the body.</summary>
    internal static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(Guid) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeSpan);
    }

    internal static bool IsContextType(Type type) =>
        type == typeof(HttpRequest) || type == typeof(HttpContext) || type == typeof(FunctionContext)
        || type == typeof(CancellationToken) || type == typeof(TimerInfo);
}
