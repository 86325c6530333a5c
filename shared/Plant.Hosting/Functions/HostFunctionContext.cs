using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Hosting.Functions;

/// <summary>
/// The worker's <see cref="FunctionContext"/> for one invocation on this host: its id (the one in the log lines and
/// in every 500 problem), the function's definition, the invocation's scoped services, its items and features,
/// and its cancellation token (cancelled on <c>functionTimeout</c>, client disconnect or shutdown).
/// <c>GetLogger</c> (the worker's extension) resolves loggers from <see cref="InstanceServices"/>.
/// </summary>
internal sealed class HostFunctionContext(string invocationId, FunctionDefinition definition, IServiceProvider services, CancellationToken cancellationToken)
    : FunctionContext
{
    public override string InvocationId { get; } = invocationId;

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext { get; } = new ActivityTrace(Activity.Current);

    public override BindingContext BindingContext { get; } = new NoBindingData();

    /// <summary>Plant retries nothing itself (a stale connection's second run is the same attempt): always 0 of 0.</summary>
    public override RetryContext RetryContext { get; } = new NoRetries();

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition { get; } = definition;

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features { get; } = new FeatureSet();

    public override CancellationToken CancellationToken { get; } = cancellationToken;

    private sealed class ActivityTrace(Activity? activity) : TraceContext
    {
        public override string TraceParent { get; } = activity?.Id ?? "";

        public override string TraceState { get; } = activity?.TraceStateString ?? "";
    }

    private sealed class NoBindingData : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = new Dictionary<string, object?>();
    }

    private sealed class NoRetries : RetryContext
    {
        public override int RetryCount => 0;

        public override int MaxRetryCount => 0;
    }

    private sealed class FeatureSet : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public void Set<T>(T instance) => _features[typeof(T)] = instance!;

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// A function as the worker describes it: name, entry point (<c>Namespace.Class.Method</c>), assembly, parameters,
/// and its bindings (the trigger in; an HTTP function's response out as <c>$return</c>).
/// </summary>
internal sealed class HostFunctionDefinition : FunctionDefinition
{
    public HostFunctionDefinition(MethodInfo method, string name, string triggerType, string triggerParameter)
    {
        Name = name;
        EntryPoint = $"{method.DeclaringType!.FullName}.{method.Name}";
        // Where the worker would load it from; a native (AOT) executable has no assembly files, and says so with "".
        PathToAssembly = method.DeclaringType.Assembly.GetName().Name is { } assembly && File.Exists(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"))
            ? Path.Combine(AppContext.BaseDirectory, assembly + ".dll")
            : "";
        // Stable across starts and instances, as the id Azure's host derives from the function's metadata.
        Id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(EntryPoint + "/" + name)))[..32];
        Parameters = [.. method.GetParameters().Select(p => new FunctionParameter(p.Name ?? "", p.ParameterType, p.HasDefaultValue, p.DefaultValue))];
        InputBindings = ImmutableDictionary<string, BindingMetadata>.Empty.Add(triggerParameter, new Binding(triggerParameter, triggerType, BindingDirection.In));
        OutputBindings = triggerType == "httpTrigger"
            ? ImmutableDictionary<string, BindingMetadata>.Empty.Add("$return", new Binding("$return", "http", BindingDirection.Out))
            : ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    public override ImmutableArray<FunctionParameter> Parameters { get; }

    public override string PathToAssembly { get; }

    public override string EntryPoint { get; }

    public override string Id { get; }

    public override string Name { get; }

    public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; }

    public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; }

    private sealed class Binding(string name, string type, BindingDirection direction) : BindingMetadata
    {
        public override string Name { get; } = name;

        public override string Type { get; } = type;

        public override BindingDirection Direction { get; } = direction;
    }
}
