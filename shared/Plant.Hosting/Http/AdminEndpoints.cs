using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting.Functions;
using Plant.Hosting.Timers;

namespace Plant.Hosting.Http;

/// <summary>
/// <c>POST /admin/functions/{name}</c>: invokes a timer function on demand, as the Azure host's admin API does for
/// non-HTTP functions. On Cloud Run this is how Cloud Scheduler drives timers; since Cloud Scheduler delivers at
/// least once, a repeat of the same job and schedule time does not run twice. The run completes before the answer
/// because Cloud Run throttles the CPU of an instance once it has answered.
/// </summary>
/// <remarks>
/// The delivery is claimed under the timer's lock, so an unfinished delivery found there belongs to a runner that
/// died, and may run again. A repeat that arrives while the first is still running finds the lock taken and gets
/// 409, which Cloud Scheduler retries later, rather than a 202 for a run that might yet fail.
/// </remarks>
internal static class AdminEndpoints
{
    private const string JobHeader = "X-CloudScheduler-JobName";
    private const string ScheduleTimeHeader = "X-CloudScheduler-ScheduleTime";

    private static readonly DateTimeOffset s_earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_rfcTimes = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static void Map(IEndpointRouteBuilder endpoints, IReadOnlyList<FunctionDescriptor> functions, string routePrefix)
    {
        var byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        endpoints.MapPost("admin/functions/{name}", (HttpContext http, string name, TimerRunner runner, TimeProvider time) =>
            InvokeAsync(http, name, byName, routePrefix, runner, time));
    }

    private static async Task InvokeAsync(
        HttpContext http, string name, Dictionary<string, FunctionDescriptor> functions, string routePrefix, TimerRunner runner, TimeProvider time)
    {
        if (!await Callers.AdmitAsync(http, AuthorizationLevel.Admin, "The admin API requires the master key."))
        {
            return;
        }

        if (!functions.TryGetValue(name, out var function))
        {
            await Problems.WriteAsync(http, StatusCodes.Status404NotFound, Problems.NotFound, "Not found", $"No function named '{name}' runs in this process.");
            return;
        }

        if (function.Http is not null)
        {
            var methods = function.Http.Methods.Count == 0 ? "any method" : string.Join("/", function.Http.Methods).ToUpperInvariant();
            await Problems.WriteAsync(http, StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request",
                $"'{function.Name}' is an HTTP function: call {methods} /{HttpFunctionEndpoints.Pattern(function, routePrefix)} instead.");
            return;
        }

        // The run is for the occurrence Cloud Scheduler names, when it names one.
        var (delivery, occurrence, problem) = ReadDelivery(http.Request, time.GetUtcNow());
        if (problem is var (header, detail))
        {
            await Problems.WriteAsync(http, StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request", detail, Problems.ParameterMember(header));
            return;
        }

        // The run is not tied to the request: a client that disconnects must not cut a migration or purge short.
        TimerRunOutcome outcome;
        Guid invocationId;
        try
        {
            (outcome, invocationId) = await runner.TryRunAsync(function, TimerTrigger.Admin, occurrence, delivery, CancellationToken.None);
        }
        catch (Exception e) when (Outages.IsOutage(e))
        {
            // The timer's lock or record could not be reached: nothing ran, and Cloud Scheduler retries a 503.
            await Outages.WriteAsync(http);
            return;
        }

        switch (outcome)
        {
            case TimerRunOutcome.Busy:
                await Problems.WriteAsync(http, StatusCodes.Status409Conflict, Problems.Conflict, "Conflict",
                    $"'{function.Name}' is running in another process; retry later.");
                break;
            case TimerRunOutcome.Failed:
                // A 5xx lets Cloud Scheduler retry; the failed delivery may be claimed again.
                await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, Problems.InternalError, "Internal error",
                    "The function failed. Quote the invocation id when reporting this.",
                    new Dictionary<string, object?> { ["invocationId"] = invocationId.ToString() });
                break;
            case TimerRunOutcome.Duplicate:
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                await http.Response.WriteAsJsonAsync(new AdminInvocation(function.Name, null, "duplicate"), HostJsonContext.Default.AdminInvocation, cancellationToken: http.RequestAborted);
                break;
            default:
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                await http.Response.WriteAsJsonAsync(new AdminInvocation(function.Name, invocationId.ToString(), "succeeded"), HostJsonContext.Default.AdminInvocation, cancellationToken: http.RequestAborted);
                break;
        }
    }

    /// <summary>
    /// Cloud Scheduler's two headers, both or neither: a job name of 1 to 500 visible ASCII characters and an RFC 3339
    /// time from 2000 to a day ahead. They are stored, so anything else is refused rather than kept.
    /// </summary>
    private static (SchedulerDelivery? Delivery, DateTimeOffset? Occurrence, (string Header, string Detail)? Problem) ReadDelivery(HttpRequest request, DateTimeOffset now)
    {
        var job = request.Headers[JobHeader];
        var time = request.Headers[ScheduleTimeHeader];
        if (job.Count == 0 && time.Count == 0)
        {
            return (null, null, null);
        }

        if (job is not [{ Length: >= 1 and <= 500 } name] || !name.All(c => c is > ' ' and <= '~'))
        {
            return (null, null, (JobHeader, $"{JobHeader} must be one job name of 1 to 500 visible ASCII characters, sent with {ScheduleTimeHeader}."));
        }

        if (time is not [{ Length: <= 40 } text]
            || !DateTimeOffset.TryParseExact(text, s_rfcTimes, CultureInfo.InvariantCulture, DateTimeStyles.None, out var occurrence)
            || occurrence < s_earliest || occurrence > now.AddDays(1))
        {
            return (null, null, (ScheduleTimeHeader, $"{ScheduleTimeHeader} must be one RFC 3339 time (2025-01-01T10:00:00Z) from 2000 to a day from now, sent with {JobHeader}."));
        }

        return (new SchedulerDelivery(name, text), occurrence.ToUniversalTime(), null);
    }

    internal sealed record AdminInvocation(string Function, string? InvocationId, string Status);
}
