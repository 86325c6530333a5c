using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Hosting.Functions;

/// <summary>
/// One call of a function, as its generated invoker sees it: what its arguments are bound from (the trigger, the
/// context, route values, the JSON body).
/// </summary>
public sealed class FunctionCall
{
    internal FunctionCall(FunctionContext context, HttpContext? http = null, TimerInfo? timer = null)
    {
        Context = context;
        Http = http;
        Timer = timer;
    }

    public FunctionContext Context { get; }

    /// <summary>Null for a timer.</summary>
    public HttpContext? Http { get; }

    /// <summary>Null for an HTTP call.</summary>
    public TimerInfo? Timer { get; }

    /// <summary>The route value of that name, as written; null when the route left it out.</summary>
    public string? RouteString(string name) => Http!.Request.RouteValues[name]?.ToString();

    /// <summary>The route value of that name, read in the invariant culture; a value that is not one is the client's 400.</summary>
    public T? RouteValue<T>(string name)
        where T : struct, ISpanParsable<T> =>
        RouteString(name) is not { } raw ? null
        : T.TryParse(raw, CultureInfo.InvariantCulture, out var value) ? value
        : throw NotValid<T>(name);

    /// <summary>The route value of that name, as an enum member's name (any case) or number.</summary>
    public T? RouteEnum<T>(string name)
        where T : struct, Enum =>
        RouteString(name) is not { } raw ? null
        : Enum.TryParse<T>(raw, ignoreCase: true, out var value) ? value
        : throw NotValid<T>(name);

    /// <summary>The JSON body, read strictly with the app's and the host's source-generated metadata.</summary>
    public async ValueTask<T> ReadBodyAsync<T>() =>
        (T)await JsonBody.ReadAsync(Http!.Request, typeof(T), JsonBody.HostOptions(Http.RequestServices), Context.CancellationToken);

    /// <summary>
    /// Makes the call ready to run again from the start, if it can be: nothing of the response is sent yet, and
    /// the request body (buffered by the host) is read again from its first byte.
    /// </summary>
    internal bool Rewind()
    {
        if (Http is null)
        {
            return true;
        }

        if (Http.Response.HasStarted || !Http.Request.Body.CanSeek)
        {
            return false;
        }

        Http.Response.Clear();
        Http.Request.Body.Position = 0;
        return true;
    }

    private static BadInputException NotValid<T>(string name) =>
        new(name, string.Create(CultureInfo.InvariantCulture, $"The route value '{name}' is not a valid {typeof(T).Name}."));
}
