using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;

namespace Plant.Hosting.OpenApi;

/// <summary>The routes every Plant host serves beside its functions (<see cref="Http.HealthEndpoints"/>, <see cref="Http.AdminEndpoints"/>).</summary>
internal static class HostRoutes
{
    public const string Tag = "Host";

    public static IEnumerable<(string Path, JsonObject Item)> Describe(IReadOnlyList<string> timers)
    {
        yield return ("/healthz", Get("Healthz", "Whether the process is alive", Json(new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["status"] = new JsonObject { ["const"] = "alive" } },
        })));

        var ready = Get("Readyz", "Whether the instance can serve: its database answers; details says how each part of the app is doing", Json(new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["status"] = new JsonObject { ["const"] = "ready" },
                ["details"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            },
        }));
        ready["get"]!["responses"]!.AsObject()["503"] = ProblemResponses.Describe(503, [(Problems.Unavailable, "the database is not reachable")]);
        yield return ("/readyz", ready);

        var name = new JsonObject { ["type"] = "string" };
        if (timers.Count > 0)
        {
            name["enum"] = new JsonArray([.. timers.Select(t => JsonValue.Create(t))]);
        }

        var problems = new List<(int, string, string)>
        {
            (400, Problems.BadRequest, "the function is an HTTP function, or the Cloud Scheduler headers are malformed"),
            (401, Problems.Unauthorized, "no master key or admin token, or a wrong one"),
            (403, Problems.Forbidden, "the token's principal is not an admin"),
            (404, Problems.NotFound, "no function of that name runs in this process"),
            (409, Problems.Conflict, "the timer is running now; retry later"),
            (500, Problems.InternalError, "the function failed; quote invocationId"),
            (503, Problems.Unavailable, "the database cannot answer now"),
        };
        var responses = new JsonObject
        {
            ["202"] = Json(new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["function"] = new JsonObject { ["type"] = "string" },
                    ["invocationId"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                    ["status"] = new JsonObject { ["enum"] = new JsonArray("succeeded", "duplicate") },
                },
            }, "The run finished (succeeded), or this Cloud Scheduler delivery already ran (duplicate)"),
        };
        foreach (var group in problems.GroupBy(p => p.Item1))
        {
            responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponses.Describe(group.Key, group.Select(p => (p.Item2, p.Item3)));
        }

        yield return ("/admin/functions/{name}", new JsonObject
        {
            ["post"] = new JsonObject
            {
                ["operationId"] = "RunTimerFunction",
                ["summary"] = "Run a timer function now",
                ["description"] = "Runs the timer function and answers when it has finished, as Azure's admin API does. Cloud Scheduler calls this with X-CloudScheduler-JobName and X-CloudScheduler-ScheduleTime; a repeat of one delivery does not run twice.",
                ["tags"] = new JsonArray(Tag),
                ["parameters"] = new JsonArray(new JsonObject
                {
                    ["name"] = "name",
                    ["in"] = "path",
                    ["required"] = true,
                    ["description"] = "The timer function's name.",
                    ["schema"] = name,
                }),
                ["responses"] = responses,
                ["security"] = OpenApiDocument.Security(AuthorizationLevel.Admin),
            },
        });
    }

    private static JsonObject Get(string operationId, string summary, JsonObject ok) => new()
    {
        ["get"] = new JsonObject
        {
            ["operationId"] = operationId,
            ["summary"] = summary,
            ["tags"] = new JsonArray(Tag),
            ["responses"] = new JsonObject { ["200"] = ok },
            ["security"] = new JsonArray(),
        },
    };

    private static JsonObject Json(JsonObject schema, string description = "OK") => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
    };
}
