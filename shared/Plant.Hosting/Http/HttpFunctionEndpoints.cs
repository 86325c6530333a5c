using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Functions;

namespace Plant.Hosting.Http;

/// <summary>Maps each HTTP function to its route, and turns every outcome of an invocation into a response.</summary>
internal static class HttpFunctionEndpoints
{
    public static string Pattern(FunctionDescriptor function, string routePrefix) =>
        routePrefix.Length == 0 ? function.Route! : $"{routePrefix}/{function.Route}";

    public static void Map(IEndpointRouteBuilder endpoints, IEnumerable<FunctionDescriptor> functions, string routePrefix)
    {
        foreach (var function in functions.Where(f => f.Http is not null))
        {
            var methods = function.Http!.Methods.Select(m => m.ToUpperInvariant()).ToArray();
            RequestDelegate handler = http => HandleAsync(http, function);
            var endpoint = methods.Length == 0
                ? endpoints.Map(Pattern(function, routePrefix), handler)
                : endpoints.MapMethods(Pattern(function, routePrefix), methods, handler);
            endpoint.WithDisplayName(function.Name).WithMetadata(DeclaredQuery.Of(function.Method));
        }
    }

    private static async Task HandleAsync(HttpContext http, FunctionDescriptor function)
    {
        var services = http.RequestServices;
        // An anonymous function needs no key lookup (the rate limiter does its own when it is on).
        var level = function.Http!.AuthLevel;
        if (level != AuthorizationLevel.Anonymous && !await Callers.AdmitAsync(http, level, level == AuthorizationLevel.Admin
            ? "This function requires the master key."
            : Problems.ForStatus(StatusCodes.Status401Unauthorized, http.Request).Detail))
        {
            return;
        }

        var invocationId = InvocationIds.Next();
        // Kept, so that an invocation run again after a stale database connection reads the same body.
        http.Request.EnableBuffering();
        try
        {
            var result = await services.GetRequiredService<FunctionExecutor>()
                .ExecuteAsync(function, services, invocationId, Reason(http.Request.Method), http, null, http.RequestAborted);
            await WriteResultAsync(http, result);
        }
        catch (BadInputException e)
        {
            await Problems.WriteAsync(http, e.Status, e.ProblemType, e.Title, e.Message, Problems.ParameterMember(e.Parameter));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client has gone; there is no one to answer.
        }
        catch (FunctionTimeoutException e) when (!http.Response.HasStarted)
        {
            // A function that ignores its token still runs and may still touch this request's objects; closing the
            // connection keeps Kestrel from handing those pooled objects to the client's next request.
            http.Response.Headers.Connection = "close";
            await Problems.WriteAsync(http, StatusCodes.Status504GatewayTimeout, Problems.FunctionTimeout, "Function timeout",
                e.Message, new Dictionary<string, object?> { ["invocationId"] = invocationId });
        }
        catch (Exception e) when (!http.Response.HasStarted && Outages.IsOutage(e))
        {
            // The function's dependency is down, not the function wrong: the client may retry (the executor logged it).
            await Outages.WriteAsync(http, new Dictionary<string, object?> { ["invocationId"] = invocationId });
        }
        catch (Exception e) when (!http.Response.HasStarted && Outages.IsNotMigrated(e))
        {
            http.Response.Clear();
            await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, Problems.NotMigrated, "Database not migrated",
                "The database lacks a schema or table this function needs: it has not been migrated to the version this app expects.",
                new Dictionary<string, object?> { ["invocationId"] = invocationId });
        }
        catch (Exception) when (!http.Response.HasStarted)
        {
            // The executor logged the exception; the client gets the invocation id to quote, and no internals.
            http.Response.Clear();
            await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, Problems.InternalError, "Internal error",
                "The function failed. Quote the invocation id when reporting this.", new Dictionary<string, object?> { ["invocationId"] = invocationId });
        }
    }

    private static string Reason(string method) => method switch
    {
        "GET" => "HTTP GET",
        "POST" => "HTTP POST",
        "PUT" => "HTTP PUT",
        "DELETE" => "HTTP DELETE",
        _ => "HTTP " + method,
    };

    private static Task WriteResultAsync(HttpContext http, object? result)
    {
        switch (result)
        {
            case null:
                if (!http.Response.HasStarted && http.Response.StatusCode == StatusCodes.Status200OK)
                {
                    http.Response.StatusCode = StatusCodes.Status204NoContent;
                }

                return Task.CompletedTask;
            case IResult response:
                // A problem a function returns names the request path as its instance, as the host's own problems do.
                var inner = response;
                while (inner is INestedHttpResult nested)
                {
                    inner = nested.Result;
                }

                if (inner is ProblemHttpResult { ProblemDetails.Instance: null } problem)
                {
                    problem.ProblemDetails.Instance = http.Request.Path.Value;
                }

                return response.ExecuteAsync(http);
            case string text:
                return Results.Text(text).ExecuteAsync(http);
            default:
                return http.Response.WriteAsJsonAsync(result, JsonBody.HostOptions(http.RequestServices).GetTypeInfo(result.GetType()), cancellationToken: http.RequestAborted);
        }
    }
}
