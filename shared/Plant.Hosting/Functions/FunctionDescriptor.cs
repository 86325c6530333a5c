using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Timers;

namespace Plant.Hosting.Functions;

/// <summary>Everything the host knows about one function, worked out once at start-up.</summary>
internal sealed class FunctionDescriptor
{
    public required string Name { get; init; }

    public required string AppName { get; init; }

    public required MethodInfo Method { get; init; }

    public required FunctionDefinition Definition { get; init; }

    public HttpTriggerAttribute? Http { get; init; }

    /// <summary>The route under the prefix, without a leading slash.</summary>
    public string? Route { get; init; }

    /// <summary>The parsed <see cref="Route"/>, kept so that start-up checks need not parse it again.</summary>
    public Microsoft.AspNetCore.Routing.Patterns.RoutePattern? RoutePattern { get; init; }

    public TimerTriggerAttribute? Timer { get; init; }

    public CronSchedule? Schedule { get; init; }

    public required IReadOnlyList<ParameterBinder> Binders { get; init; }

    /// <summary>Null for a static method.</summary>
    public ObjectFactory? Factory { get; init; }

    public required Func<object?, ValueTask<object?>> AwaitResult { get; init; }
}
