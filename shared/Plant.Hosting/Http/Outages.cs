using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Plant.Hosting.Http;

/// <summary>Failures that mean the database is out of reach or overloaded, not that the function is wrong: a 503 with Retry-After.</summary>
internal static class Outages
{
    /// <summary>Long enough for a Cloud SQL failover or a restart to finish, short enough for a portal to wait.</summary>
    private const string RetryAfterSeconds = "5";

    /// <summary>
    /// Npgsql's transient failures (the network, a timeout, PostgreSQL shutting down or out of connections) and a
    /// timeout waiting for a pooled connection. A PostgreSQL error about the statement itself is not one: it is a bug.
    /// </summary>
    public static bool IsOutage(Exception e) => e is NpgsqlException { IsTransient: true } or TimeoutException;

    /// <summary>The 503 problem with <c>Retry-After</c>: enough for a client to wait and retry, nothing of the failure's internals.</summary>
    public static Task WriteAsync(HttpContext http, IDictionary<string, object?>? extensions = null)
    {
        http.Response.Clear();
        http.Response.Headers.RetryAfter = RetryAfterSeconds;
        return Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Unavailable",
            "The database cannot be reached or is overloaded; retry later.", extensions);
    }

    /// <summary>
    /// Not an outage but a database the app's migrations have not reached: a schema (3F000) or table (42P01) it needs is
    /// missing. Retrying will not help until an operator migrates it.
    /// </summary>
    public static bool IsNotMigrated(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedTable };
}
