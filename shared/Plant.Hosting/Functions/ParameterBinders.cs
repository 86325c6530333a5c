using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Hosting.Functions;

/// <summary>
/// How each parameter gets its value: the trigger, <see cref="FunctionContext"/>, the cancellation token, a route
/// value of the same name, or (one complex parameter of an HTTP function) the JSON body.
/// </summary>
internal static class ParameterBinders
{
    public static ParameterBinder Create(string function, ParameterInfo parameter, RoutePattern? route)
    {
        var type = parameter.ParameterType;
        var name = parameter.Name ?? "";
        if (parameter.IsDefined(typeof(HttpTriggerAttribute)))
        {
            return type == typeof(HttpRequest)
                ? static i => new(i.Http!.Request)
                : throw Unbindable(function, name, "[HttpTrigger] binds an HttpRequest parameter");
        }

        if (parameter.IsDefined(typeof(TimerTriggerAttribute)))
        {
            return type == typeof(TimerInfo)
                ? static i => new(i.Timer)
                : throw Unbindable(function, name, "[TimerTrigger] binds a TimerInfo parameter");
        }

        if (type == typeof(FunctionContext))
        {
            return static i => new(i.Context);
        }

        if (type == typeof(CancellationToken))
        {
            return static i => new(i.Context.CancellationToken);
        }

        if (type == typeof(HttpContext) && route is not null)
        {
            return static i => new(i.Http);
        }

        if (route?.GetParameter(name) is not null && FunctionIndexer.IsSimple(type))
        {
            return RouteValue(name, type);
        }

        if (IsBody(parameter, route))
        {
            // An interface or abstract type cannot come from JSON; an ILogger parameter (the in-process model's
            // habit) would otherwise turn into a body that no request can satisfy.
            return type.IsAbstract
                ? throw Unbindable(function, name, $"a JSON body needs a concrete type, and {type.Name} is abstract (a logger comes from FunctionContext.GetLogger)")
                : async i => await JsonBody.ReadAsync(i.Http!.Request, type, JsonBody.HostOptions(i.Http.RequestServices), i.Context.CancellationToken);
        }

        throw Unbindable(function, name, "only the trigger, FunctionContext, CancellationToken, route values and one JSON body can be bound");
    }

    /// <summary>Whether the parameter takes the JSON body of an HTTP function: any complex type that is not a route value.</summary>
    public static bool IsBody(ParameterInfo parameter, RoutePattern? route) =>
        route is not null
        && !parameter.IsDefined(typeof(HttpTriggerAttribute)) && !parameter.IsDefined(typeof(TimerTriggerAttribute))
        && !FunctionIndexer.IsSimple(parameter.ParameterType) && !FunctionIndexer.IsContextType(parameter.ParameterType);

    private static StartupException Unbindable(string function, string parameter, string why) =>
        new($"Function '{function}': parameter '{parameter}' cannot be bound: {why}.");

    private static ParameterBinder RouteValue(string name, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var converter = TypeDescriptor.GetConverter(target);
        return i =>
        {
            var raw = i.Http!.Request.RouteValues[name]?.ToString();
            if (raw is null)
            {
                return new((object?)null);
            }

            if (target == typeof(string))
            {
                return new(raw);
            }

            try
            {
                return new(converter.ConvertFromInvariantString(raw));
            }
            catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
            {
                throw new BadInputException(name, string.Create(CultureInfo.InvariantCulture, $"The route value '{name}' is not a valid {target.Name}."));
            }
        };
    }
}
