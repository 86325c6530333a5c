using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Plant.Hosting;

/// <summary>One invocation of a function, as the isolated worker's <c>FunctionContext</c> describes it.</summary>
public sealed class FunctionContext
{
    internal FunctionContext(string invocationId, FunctionDefinition definition, IServiceProvider services, CancellationToken cancellationToken)
    {
        InvocationId = invocationId;
        FunctionDefinition = definition;
        InstanceServices = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>Unique per invocation; it is in the host's log lines and in every 500 problem.</summary>
    public string InvocationId { get; }

    public FunctionDefinition FunctionDefinition { get; }

    /// <summary>The invocation's scoped services.</summary>
    public IServiceProvider InstanceServices { get; }

    /// <summary>Cancelled on <c>functionTimeout</c>, client disconnect or shutdown.</summary>
    public CancellationToken CancellationToken { get; }

    public ILogger GetLogger(string categoryName) =>
        InstanceServices.GetRequiredService<ILoggerFactory>().CreateLogger(categoryName);

    public ILogger<T> GetLogger<T>() => InstanceServices.GetRequiredService<ILogger<T>>();
}

/// <summary>The function's identity.</summary>
public sealed class FunctionDefinition
{
    internal FunctionDefinition(string name, string entryPoint)
    {
        Name = name;
        EntryPoint = entryPoint;
    }

    public string Name { get; }

    /// <summary>The method, as <c>Namespace.Class.Method</c>.</summary>
    public string EntryPoint { get; }
}
