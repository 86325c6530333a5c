using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Plant.Hosting.Functions;

/// <summary>The function timed out (host.json <c>functionTimeout</c>).</summary>
internal sealed class FunctionTimeoutException(string message) : Exception(message);

/// <summary>
/// Runs one invocation: binds the parameters, calls the method, awaits it under <c>functionTimeout</c>, and writes
/// the two log lines the Azure host writes for every invocation.
/// </summary>
internal sealed partial class FunctionExecutor(ILoggerFactory loggers, HostSettings settings, IEnumerable<ExceptionProblem> exceptionProblems)
{
    private readonly ExceptionProblem[] _exceptionProblems = [.. exceptionProblems];

    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public async Task<object?> ExecuteAsync(
        FunctionDescriptor function,
        IServiceProvider services,
        string invocationId,
        string reason,
        HttpContext? http,
        TimerInfo? timer,
        CancellationToken cancellationToken)
    {
        // The category is the one the Azure host uses, so log filters written for it keep working.
        var logger = _loggers.GetOrAdd(function.Name, static (name, factory) => factory.CreateLogger("Function." + name), loggers);
        LogExecuting(logger, function.Name, reason, invocationId);

        var started = Stopwatch.GetTimestamp();
        var timeout = settings.FunctionTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            cts.CancelAfter(limit);
        }

        Task<object?>? running = null;
        try
        {
            var context = new HostFunctionContext(invocationId, function.Definition, services, cts.Token);
            running = InvokeAsync(function, services, new FunctionCall(context, http, timer), logger);
            // The caller's cancellation reaches the function through its token, and is awaited like any ending:
            // a timer's lock must outlive the run, and shutdown must not record a run still going on.
            var result = timeout is { } t ? await running.WaitAsync(t, CancellationToken.None) : await running;
            LogExecuted(logger, LogLevel.Information, null, function, "Succeeded", invocationId, started);
            return result;
        }
        catch (Exception e) when (timeout is not null && !cancellationToken.IsCancellationRequested
            && (e is TimeoutException || e is OperationCanceledException && cts.IsCancellationRequested))
        {
            await cts.CancelAsync();
            LogExecuted(logger, LogLevel.Error, null, function, "Failed", invocationId, started);
            if (http is null && running is not null)
            {
                // A timer keeps its lock until the function has really stopped, so that its runs never overlap;
                // an HTTP client gets its answer now.
                await ((Task)running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            throw new FunctionTimeoutException($"The function '{function.Name}' did not finish within functionTimeout ({timeout}).");
        }
        catch (BadHttpRequestException e) when (http is not null)
        {
            // Kestrel's verdict on the request (a body over the limit is 413), whether the binder or the function
            // itself read the body: the client's fault, so a 4xx problem rather than a failed function's 500.
            throw BadRequest(logger, function, invocationId, started, BadInputException.FromStatus(e.StatusCode, http.Request));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client hung up or the host is stopping: nothing went wrong in the function.
            LogExecuted(logger, LogLevel.Information, null, function, "Cancelled", invocationId, started);
            throw;
        }
        catch (BadInputException e)
        {
            throw BadRequest(logger, function, invocationId, started, e);
        }
        catch (Exception e) when (http is not null && ExceptionProblem.Find(_exceptionProblems, e) is { } problem)
        {
            LogBadRequest(logger, function.Name, invocationId, problem.ProblemDetails.Detail ?? e.Message);
            LogExecuted(logger, LogLevel.Information, null, function, "Failed", invocationId, started);
            return problem;
        }
        catch (Exception e)
        {
            LogExecuted(logger, LogLevel.Error, e, function, "Failed", invocationId, started);
            throw;
        }
    }

    /// <summary>Runs the function, and once more if it failed only because its pooled connection was stale.</summary>
    private static Task<object?> InvokeAsync(FunctionDescriptor function, IServiceProvider services, FunctionCall call, ILogger logger) =>
        StaleSessions.RunAsync(() => function.Invoke(services, call).AsTask(), () =>
        {
            if (!call.Rewind())
            {
                return false;
            }

            LogRunAgain(logger, function.Name, call.Context.InvocationId);
            return true;
        });

    /// <summary>The client's fault: a warning naming what is wrong, not a failed function's error.</summary>
    private static BadInputException BadRequest(ILogger logger, FunctionDescriptor function, string invocationId, long started, BadInputException e)
    {
        LogBadRequest(logger, function.Name, invocationId, e.Message);
        LogExecuted(logger, LogLevel.Information, null, function, "Failed", invocationId, started);
        return e;
    }

    private static void LogExecuted(ILogger logger, LogLevel level, Exception? e, FunctionDescriptor function, string outcome, string invocationId, long started) =>
        LogExecuted(logger, level, e, function.Name, outcome, invocationId, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    // Generated loggers check the level first and neither box nor look up the template on each call: these two lines
    // are written for every invocation.
    [LoggerMessage(Level = LogLevel.Information, Message = "Executing 'Functions.{FunctionName}' (Reason='{Reason}', Id={InvocationId})")]
    private static partial void LogExecuting(ILogger logger, string functionName, string reason, string invocationId);

    [LoggerMessage(Message = "Executed 'Functions.{FunctionName}' ({Outcome}, Id={InvocationId}, Duration={Duration}ms)")]
    private static partial void LogExecuted(ILogger logger, LogLevel level, Exception? exception, string functionName, string outcome, string invocationId, long duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running 'Functions.{FunctionName}' again (Id={InvocationId}): its pooled database connection was from before a database restart")]
    private static partial void LogRunAgain(ILogger logger, string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bad request for 'Functions.{FunctionName}' (Id={InvocationId}): {Problem}")]
    private static partial void LogBadRequest(ILogger logger, string functionName, string invocationId, string problem);
}
