using System.Reflection;

namespace Plant.Hosting.Functions;

/// <summary>Awaits whatever a function returns (nothing, a value, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;).</summary>
internal static class ResultAwaiter
{
    public static Func<object?, ValueTask<object?>> For(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return static _ => new((object?)null);
        }

        if (returnType == typeof(Task))
        {
            return static async r =>
            {
                await (Task)r!;
                return null;
            };
        }

        if (returnType == typeof(ValueTask))
        {
            return static async r =>
            {
                await (ValueTask)r!;
                return null;
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var result = returnType.GetProperty(nameof(Task<object>.Result))!;
            return async r =>
            {
                var task = (Task)r!;
                await task;
                return result.GetValue(task);
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = returnType.GetMethod(nameof(ValueTask<object>.AsTask))!;
            var result = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()).GetProperty(nameof(Task<object>.Result))!;
            return async r =>
            {
                var task = (Task)asTask.Invoke(r, BindingFlags.DoNotWrapExceptions, null, null, null)!;
                await task;
                return result.GetValue(task);
            };
        }

        return static r => new(r);
    }
}
