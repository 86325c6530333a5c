using Microsoft.AspNetCore.Http;

namespace Plant.Hosting.Functions;

/// <summary>What one invocation's parameters are bound from.</summary>
internal sealed class Invocation(FunctionContext context, HttpContext? http = null, TimerInfo? timer = null)
{
    public FunctionContext Context { get; } = context;

    public HttpContext? Http { get; } = http;

    public TimerInfo? Timer { get; } = timer;
}

/// <summary>Produces one argument of a function call.</summary>
internal delegate ValueTask<object?> ParameterBinder(Invocation invocation);
