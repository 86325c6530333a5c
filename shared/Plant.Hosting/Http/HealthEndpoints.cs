using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Plant.Hosting.Http;

/// <summary><c>/healthz</c>: the process is alive. <c>/readyz</c>: it can reach its database.</summary>
internal static class HealthEndpoints
{
    public static bool IsHealthPath(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("healthz", () => Results.Json(new { status = "alive" }));
        endpoints.MapGet("readyz", ReadyAsync);
    }

    private static async Task<IResult> ReadyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return Results.Json(new { status = "ready" });
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // No details: the reason (host name, user) is for the logs, not for whoever asks.
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Not ready", "The database is not reachable.");
        }
    }
}
