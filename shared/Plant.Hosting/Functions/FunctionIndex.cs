using System.Reflection;

namespace Plant.Hosting.Functions;

/// <summary>
/// The functions of every loaded assembly, registered by the index Plant.Hosting.Generator writes into it (a module
/// initializer: it runs before any code of that assembly does).
/// </summary>
public static class FunctionIndex
{
    private static readonly Lock s_lock = new();

    private static readonly Dictionary<Type, List<IndexedFunction>> s_byClass = [];

    public static void Add(IndexedFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        lock (s_lock)
        {
            var type = function.Method.DeclaringType!;
            if (!s_byClass.TryGetValue(type, out var functions))
            {
                s_byClass[type] = functions = [];
            }

            functions.Add(function);
        }
    }

    /// <summary>The functions of a class, in the order the generator wrote them; none when its project has no generated index.</summary>
    internal static IReadOnlyList<IndexedFunction> Of(Type type)
    {
        lock (s_lock)
        {
            return s_byClass.TryGetValue(type, out var functions) ? [.. functions] : [];
        }
    }

    /// <summary>The classes of an assembly that have functions, in name order.</summary>
    internal static IReadOnlyList<Type> ClassesIn(Assembly assembly)
    {
        lock (s_lock)
        {
            return [.. s_byClass.Keys.Where(t => t.Assembly == assembly).OrderBy(t => t.FullName, StringComparer.Ordinal)];
        }
    }
}
