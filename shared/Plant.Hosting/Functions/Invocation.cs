using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Hosting.Functions;

/// <summary>What one invocation's parameters are bound from.</summary>
internal sealed class Invocation(FunctionContext context, HttpContext? http = null, TimerInfo? timer = null)
{
    public FunctionContext Context { get; } = context;

    public HttpContext? Http { get; } = http;

    public TimerInfo? Timer { get; } = timer;

    /// <summary>
    /// Makes the invocation ready to run again from the start, if it can be: nothing of the response is sent yet, and
    /// the request body (buffered by the host) is read again from its first byte.
    /// </summary>
    public bool Rewind()
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
}

/// <summary>Produces one argument of a function call.</summary>
internal delegate ValueTask<object?> ParameterBinder(Invocation invocation);
