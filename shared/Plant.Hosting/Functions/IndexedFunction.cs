using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Hosting.Functions;

/// <summary>Binds a call's arguments and calls the function; written by Plant.Hosting.Generator.</summary>
public delegate ValueTask<object?> FunctionInvoker(IServiceProvider services, FunctionCall call);

/// <summary>
/// One <c>[Function]</c> method as Plant.Hosting.Generator read it when the app compiled: its name, trigger, route
/// and body, and its invoker. Generated code creates these; the host turns them into what it serves.
/// </summary>
public sealed class IndexedFunction
{
    public required string Name { get; init; }

    /// <summary>The method, for its attributes (OpenAPI, declared query parameters) and the worker's FunctionDefinition.</summary>
    public required MethodInfo Method { get; init; }

    /// <summary>The name of the trigger parameter.</summary>
    public required string TriggerParameter { get; init; }

    /// <summary>An HTTP trigger's level as Azure reads it (Function when the attribute was written without one); null for a timer.</summary>
    public AuthorizationLevel? AuthLevel { get; init; }

    /// <summary>An HTTP trigger's methods, upper case; empty for every method.</summary>
    public IReadOnlyList<string> HttpMethods { get; init; } = [];

    /// <summary>An HTTP trigger's route under the prefix, without a leading slash (the function's name when none was written).</summary>
    public string? Route { get; init; }

    /// <summary>A timer trigger's attribute, as written.</summary>
    public TimerTriggerAttribute? Timer { get; init; }

    /// <summary>The type of the parameter bound from the JSON body, if one is.</summary>
    public Type? BodyType { get; init; }

    public required FunctionInvoker Invoke { get; init; }

    /// <summary>What the typed result says it answers (<c>Results&lt;Ok&lt;T&gt;, NotFound&gt;</c>), as minimal APIs read it.</summary>
    public Action<MethodInfo, EndpointBuilder>? PopulateMetadata { get; init; }

    /// <summary>A result type's own endpoint metadata, called with no reflection.</summary>
    public static Action<MethodInfo, EndpointBuilder> MetadataOf<T>()
        where T : IEndpointMetadataProvider =>
        static (method, builder) => T.PopulateMetadata(method, builder);
}
