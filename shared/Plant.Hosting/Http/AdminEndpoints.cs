using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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

    public static void Map(IEndpointRouteBuilder endpoints, IReadOnlyList<FunctionDescriptor> functions, string routePrefix)
    {
        var byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        endpoints.MapPost("admin/functions/{name}", (HttpContext http, string name, TimerRunner runner) =>
            InvokeAsync(http, name, byName, routePrefix, runner));
    }

    private static async Task InvokeAsync(
        HttpContext http, string name, Dictionary<string, FunctionDescriptor> functions, string routePrefix, TimerRunner runner)
    {
        if (!FunctionKeys.Allows(AuthorizationLevel.Admin, KeyIdentity.Get(http)))
        {
            await Problems.WriteAsync(http, StatusCodes.Status401Unauthorized, Problems.Unauthorized, "Unauthorized", "The admin API requires the master key.");
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

        string? job = http.Request.Headers[JobHeader];
        string? scheduleTime = http.Request.Headers[ScheduleTimeHeader];
        var delivery = string.IsNullOrEmpty(job) || string.IsNullOrEmpty(scheduleTime) ? null : new SchedulerDelivery(job, scheduleTime);
        // The run is for the occurrence Cloud Scheduler names, when it names one.
        DateTimeOffset? occurrence = DateTimeOffset.TryParse(scheduleTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;

        // The run is not tied to the request: a client that disconnects must not cut a migration or purge short.
        var (outcome, invocationId) = await runner.TryRunAsync(function, TimerTrigger.Admin, occurrence, delivery, CancellationToken.None);
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
                await http.Response.WriteAsJsonAsync(new AdminInvocation(function.Name, null, "duplicate"), http.RequestAborted);
                break;
            default:
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                await http.Response.WriteAsJsonAsync(new AdminInvocation(function.Name, invocationId.ToString(), "succeeded"), http.RequestAborted);
                break;
        }
    }

    private sealed record AdminInvocation(string Function, string? InvocationId, string Status);
}
