using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NCrontab;

namespace Plant.Hosting.Functions;

/// <summary>
/// Finds the <see cref="FunctionAttribute"/> methods of the apps and reads their triggers as Azure Functions does,
/// once, at start-up: a wrong name, a missing trigger, a level Plant does not serve, an unbindable parameter or a bad
/// schedule stops the host with a message naming the function.
/// </summary>
internal static partial class FunctionIndexer
{
    public const BindingFlags MethodFlags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Azure's rule: a letter, then letters, digits, '_' or '-'; at most 128 characters.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
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
                        throw new StartupException($"Function name '{name}' on {where} is invalid: it must start with a letter and hold only letters, digits, '_' and '-', at most 128 characters.");
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
        var http = parameters.Where(p => p.IsDefined(typeof(HttpTriggerAttribute))).ToList();
        var timer = parameters.Where(p => p.IsDefined(typeof(TimerTriggerAttribute))).ToList();
        if (http.Count + timer.Count != 1)
        {
            throw new StartupException($"Function '{name}' must have exactly one trigger parameter ([HttpTrigger] or [TimerTrigger]); it has {http.Count + timer.Count}.");
        }

        if (method.IsGenericMethodDefinition || type.IsAbstract && !method.IsStatic)
        {
            throw new StartupException($"Function '{name}' must be a non-generic method of a concrete class.");
        }

        var httpTrigger = http.SingleOrDefault()?.GetCustomAttribute<HttpTriggerAttribute>();
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

        var timerTrigger = timer.SingleOrDefault()?.GetCustomAttribute<TimerTriggerAttribute>();
        var trigger = http.Concat(timer).Single();

        return new FunctionDescriptor
        {
            Name = name,
            AppName = app.Name,
            Method = method,
            Definition = new HostFunctionDefinition(method, name, httpTrigger is null ? "timerTrigger" : "httpTrigger", trigger.Name ?? ""),
            Http = httpTrigger is null ? null : ReadHttp(name, http[0]),
            Route = route,
            RoutePattern = pattern,
            Timer = timerTrigger is null ? null : ReadTimer(name, timerTrigger, configuration),
            Binders = [.. parameters.Select(p => ParameterBinders.Create(name, p, pattern))],
            Factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(type, Type.EmptyTypes),
            AwaitResult = ResultAwaiter.For(method.ReturnType),
        };
    }

    /// <summary>
    /// The level as Azure reads it, from the constructor the attribute was written with: <c>[HttpTrigger("get")]</c>
    /// leaves the attribute's <c>AuthLevel</c> at Anonymous, yet the worker's metadata then leaves the level out and
    /// Azure's host takes Function. User and System have no meaning outside Azure's host: refused.
    /// </summary>
    private static HttpBinding ReadHttp(string name, ParameterInfo parameter)
    {
        var written = parameter.GetCustomAttributesData().Single(a => a.AttributeType == typeof(HttpTriggerAttribute));
        var level = written.ConstructorArguments.FirstOrDefault(a => a.ArgumentType == typeof(AuthorizationLevel)) is { ArgumentType: not null } given
            ? (AuthorizationLevel)given.Value!
            : AuthorizationLevel.Function;
        if (level is not (AuthorizationLevel.Anonymous or AuthorizationLevel.Function or AuthorizationLevel.Admin))
        {
            throw new StartupException($"Function '{name}' has the authorization level {level}, which Plant does not serve (Azure gives it meaning only behind its own front end): use Anonymous, Function or Admin.");
        }

        var methods = parameter.GetCustomAttribute<HttpTriggerAttribute>()!.Methods ?? [];
        var bad = methods.FirstOrDefault(m => string.IsNullOrEmpty(m) || !m.All(c => char.IsAsciiLetter(c)));
        return bad is null
            ? new HttpBinding(level, [.. methods.Select(m => m.ToUpperInvariant()).Distinct()])
            : throw new StartupException($"Function '{name}' lists the HTTP method '{bad}', which is not a method name.");
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
