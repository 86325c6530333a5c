using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Plant.Hosting.Http;

/// <summary>
/// <c>/healthz</c>: the process is alive. <c>/readyz</c>: it can reach its database; the apps' <see cref="IReadinessDetail"/>s
/// are reported beside that, in <c>details</c>.
/// </summary>
internal static class HealthEndpoints
{
    public static bool IsHealthPath(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("healthz", () => TypedResults.Ok(new Alive("alive")));
        endpoints.MapGet("readyz", ReadyAsync);
    }

    private static async Task<IResult> ReadyAsync(ReadinessCheck readiness, IEnumerable<IReadinessDetail> details, CancellationToken cancellationToken) =>
        await readiness.IsReadyAsync(cancellationToken)
            ? details.Any()
                ? TypedResults.Ok(new Ready("ready", details.ToDictionary(d => d.Name, d => d.Describe())))
                : TypedResults.Ok(new Ready("ready", null))
            // No details: the reason (host name, user) is for the logs, not for whoever asks.
            : Problems.Result(StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Not ready", "The database is not reachable.");

    internal sealed record Alive(string Status);

    internal sealed record Ready(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, string>? Details);
}
