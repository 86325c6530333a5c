using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Plant.Hosting.Functions;

/// <summary>Everything the host knows about one function, worked out once at start-up.</summary>
internal sealed class FunctionDescriptor
{
    public required string Name { get; init; }

    public required string AppName { get; init; }

    public required MethodInfo Method { get; init; }

    public required FunctionDefinition Definition { get; init; }

    public HttpBinding? Http { get; init; }

    /// <summary>The route under the prefix, without a leading slash.</summary>
    public string? Route { get; init; }

    /// <summary>The parsed <see cref="Route"/>, kept so that start-up checks need not parse it again.</summary>
    public Microsoft.AspNetCore.Routing.Patterns.RoutePattern? RoutePattern { get; init; }

    public TimerBinding? Timer { get; init; }

    /// <summary>The type of the parameter bound from the JSON body, if one is.</summary>
    public Type? BodyType { get; init; }

    /// <summary>Binds the arguments and calls the method (generated).</summary>
    public required FunctionInvoker Invoke { get; init; }

    /// <summary>The typed result's own endpoint metadata (its responses), if it has any.</summary>
    public Action<MethodInfo, Microsoft.AspNetCore.Builder.EndpointBuilder>? PopulateMetadata { get; init; }
}

/// <summary>An HTTP trigger as Azure reads it.</summary>
/// <param name="AuthLevel">Anonymous, Function or Admin; Function when the attribute was built without a level.</param>
/// <param name="Methods">Upper case; empty for every method.</param>
internal sealed record HttpBinding(AuthorizationLevel AuthLevel, IReadOnlyList<string> Methods);

/// <summary>A timer trigger: its NCRONTAB expression (a <c>%Setting%</c> resolved), the schedule, and its two switches.</summary>
internal sealed record TimerBinding(string Expression, CrontabSchedule Schedule, bool RunOnStartup, bool UseMonitor)
{
    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(Schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));
}
