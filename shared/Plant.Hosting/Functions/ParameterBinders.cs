using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Plant.Hosting.Functions;

/// <summary>
/// How each parameter gets its value: the trigger, <see cref="FunctionContext"/>, the cancellation token, a route
/// value of the same name, or (one complex parameter of an HTTP function) the JSON body.
/// </summary>
internal static class ParameterBinders
{
    /// <summary>Web defaults, plus strictness: unknown or missing required properties are the client's error.</summary>
    public static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

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
                : i => ReadBodyAsync(i, type);
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
                throw new FunctionBindingException(
                    StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request",
                    string.Create(CultureInfo.InvariantCulture, $"The route value '{name}' is not a valid {target.Name}."));
            }
        };
    }

    private static async ValueTask<object?> ReadBodyAsync(Invocation invocation, Type type)
    {
        var request = invocation.Http!.Request;
        var hasBody = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0;
        if (!hasBody && (request.ContentType is null || request.HasJsonContentType()))
        {
            throw new FunctionBindingException(StatusCodes.Status400BadRequest, Problems.MalformedJson, "Malformed JSON", "A JSON body is required.");
        }

        if (!request.HasJsonContentType())
        {
            throw new FunctionBindingException(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType,
                "Unsupported media type", $"The body must be JSON with Content-Type application/json; got '{request.ContentType ?? "none"}'.");
        }

        object? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(request.Body, type, BodyOptions, invocation.Context.CancellationToken);
        }
        catch (JsonException e)
        {
            throw new FunctionBindingException(StatusCodes.Status400BadRequest, Problems.MalformedJson, "Malformed JSON", Describe(e));
        }

        return value ?? throw new FunctionBindingException(StatusCodes.Status400BadRequest, Problems.MalformedJson,
            "Malformed JSON", "The body must be a JSON object, not null.");
    }

    /// <summary>Says what is wrong with the body and where, without naming internal .NET types.</summary>
    private static string Describe(JsonException e)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"at '{e.Path ?? "$"}' (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1})");

        // Syntax errors come from the reader, wrapped; the rest is well-formed JSON of the wrong shape, and
        // System.Text.Json tells those apart only by message (English: the build ships no other resources).
        if (e.InnerException is JsonException)
        {
            return $"The body is not valid JSON {where}.";
        }

        var message = e.Message;
        const string missing = "missing required properties including: ";
        var at = message.IndexOf(missing, StringComparison.Ordinal);
        if (at >= 0)
        {
            return $"The body is missing required properties: {message[(at + missing.Length)..].TrimEnd('.')}.";
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"The body has a property that is not expected {where}.";
        }

        if (message.Contains("null values", StringComparison.Ordinal))
        {
            return $"The body has a null value where one is required {where}.";
        }

        return $"The body has a value of the wrong type {where}.";
    }
}
