namespace Plant.Hosting;

/// <summary>
/// Marks a method as a function, as in the Azure Functions isolated worker. The name is what routes default to,
/// what <c>FUNCTION_TARGET</c> selects and what <c>/admin/functions/{name}</c> invokes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FunctionAttribute(string name) : Attribute
{
    /// <summary>Letter first, then letters, digits, '_' or '-'; unique within a process.</summary>
    public string Name { get; } = name;
}
