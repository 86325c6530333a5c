using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting.Functions;

namespace Plant.Hosting.OpenApi;

/// <summary>
/// The problems an HTTP function may answer: those the host answers for any function like it (bad input, keys,
/// rate limit, outages, time-outs) and those it declares itself with <see cref="ProblemTypeAttribute"/>.
/// </summary>
internal static class ProblemResponses
{
    /// <summary>Each status with its problem types (slug, when) in order.</summary>
    public static SortedDictionary<int, List<(string Slug, string When)>> For(FunctionDescriptor function, bool hasBody)
    {
        var problems = new SortedDictionary<int, List<(string, string)>>();
        void Add(int status, string slug, string when)
        {
            var list = problems.TryGetValue(status, out var existing) ? existing : problems[status] = [];
            if (!list.Any(p => p.Item1 == slug))
            {
                list.Add((slug, when));
            }
        }

        // The function's own first: where it names a problem the host also answers, its description is the apt one.
        foreach (var declared in function.Method.GetCustomAttributes<ProblemTypeAttribute>())
        {
            Add(declared.Status, declared.Slug, declared.When);
        }

        Add(400, Problems.BadRequest, "a query parameter, header, route value or body member is wrong; parameter names it");
        if (hasBody)
        {
            Add(400, Problems.MalformedJson, "the body is not JSON of the expected shape");
            Add(413, Problems.PayloadTooLarge, "the body is larger than the host accepts");
            Add(415, Problems.UnsupportedMediaType, "the Content-Type is not application/json");
        }

        if (function.Http!.AuthLevel != AuthorizationLevel.Anonymous)
        {
            Add(401, Problems.Unauthorized, "no key or token, or a wrong one");
            Add(403, Problems.Forbidden, "the token's principal is not admitted at this level");
        }

        if (function.RoutePattern!.Parameters.Count > 0)
        {
            Add(404, Problems.NotFound, "nothing exists at this path");
        }

        Add(429, Problems.TooManyRequests, "the caller's requests per minute are used up (PLANT_RATE_LIMIT_PER_MINUTE); see Retry-After");
        Add(500, Problems.InternalError, "the function failed; quote invocationId");
        Add(500, Problems.NotMigrated, "the database is not migrated to the version this app needs");
        Add(503, Problems.Unavailable, "the database or another part the request needs cannot answer now; see Retry-After");
        Add(504, Problems.FunctionTimeout, "the function ran longer than functionTimeout (host.json)");
        return problems;
    }

    public static JsonObject Describe(int status, IEnumerable<(string Slug, string When)> problems)
    {
        var list = problems.ToList();
        var schema = new JsonObject
        {
            ["allOf"] = new JsonArray(SchemaComponents.ReferenceTo(SchemaComponents.Problem)),
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["enum"] = new JsonArray([.. list.Select(p => JsonValue.Create(Problems.TypePrefix + p.Slug))]) },
                ["status"] = new JsonObject { ["const"] = status },
            },
        };
        var response = new JsonObject
        {
            ["description"] = OpenApiDocument.Reason(status) + ": " + string.Join("; ", list.Select(p => $"{p.Slug} when {p.When}")) + ".",
            ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = schema } },
        };
        if (status is 429 or 503)
        {
            response["headers"] = new JsonObject
            {
                ["Retry-After"] = new JsonObject
                {
                    ["description"] = "Seconds to wait before retrying.",
                    ["schema"] = new JsonObject { ["type"] = "integer" },
                },
            };
        }

        return response;
    }
}
