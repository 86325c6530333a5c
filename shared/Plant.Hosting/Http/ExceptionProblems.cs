using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Plant.Hosting;

/// <summary>
/// An exception type of an app's own libraries that is an answer, not a failure: a refusal the client can act on
/// (a forged cursor, a migration target that does not exist). When a function throws one, the host answers with
/// the problem this mapping makes of it, as if the function had returned it, and logs a warning, not an error.
/// </summary>
public sealed class ExceptionProblem
{
    private ExceptionProblem(Type exceptionType, Func<Exception, ProblemHttpResult> answer)
    {
        ExceptionType = exceptionType;
        Answer = answer;
    }

    internal Type ExceptionType { get; }

    internal Func<Exception, ProblemHttpResult> Answer { get; }

    /// <summary>The problem the first mapping for <paramref name="e"/>'s type makes; null when none maps it.</summary>
    internal static ProblemHttpResult? Find(IEnumerable<ExceptionProblem> mappings, Exception e) =>
        mappings.FirstOrDefault(m => m.ExceptionType.IsInstanceOfType(e))?.Answer(e);

    internal static ExceptionProblem For<TException>(Func<TException, ProblemHttpResult> answer)
        where TException : Exception =>
        new(typeof(TException), e => answer((TException)e));
}

/// <summary>Registers <see cref="ExceptionProblem"/>s.</summary>
public static class ExceptionProblemExtensions
{
    /// <summary>Answers <typeparamref name="TException"/>, thrown by any function of the process, with <paramref name="answer"/>'s problem.</summary>
    public static IServiceCollection AddProblemFor<TException>(this IServiceCollection services, Func<TException, ProblemHttpResult> answer)
        where TException : Exception =>
        services.AddSingleton(ExceptionProblem.For(answer));
}
