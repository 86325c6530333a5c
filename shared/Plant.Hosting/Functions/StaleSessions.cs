using System.Diagnostics;
using Npgsql;

namespace Plant.Hosting.Functions;

/// <summary>
/// Recognises an invocation that failed only because its pooled connection had gone stale, so that it can be run
/// again: after PostgreSQL restarts, every connection idle in the pool belongs to a session the old server ended, and
/// the first statement sent on one reads that server's goodbye (57P01, or 57P02 after a crash). Npgsql then clears the
/// rest of the pool, so a second run gets a live connection.
/// </summary>
/// <remarks>
/// Running an invocation again is safe only if none of its work reached the database. The failing statement did not:
/// the server had ended the session before it arrived. Earlier statements might have (on a connection opened after the
/// restart), so each invocation counts the statements that completed before its first failed one, seen through
/// Npgsql's tracing (ActivitySource "Npgsql"), and is run again only if there are none. What the invocation writes after
/// the failure, such as the migration log line recording it, is kept as the record of the failed try. A broken socket
/// with no word from the server is never retried: a commit may have landed before it broke.
/// </remarks>
internal static class StaleSessions
{
    private static readonly AsyncLocal<StatementCount?> s_current = new();

    static StaleSessions() => ActivitySource.AddActivityListener(new ActivityListener
    {
        ShouldListenTo = source => source.Name == "Npgsql",
        // An activity (without its tags) only for statements an invocation makes; none for the rest of the process.
        Sample = (ref _) => s_current.Value is null ? ActivitySamplingResult.None : ActivitySamplingResult.PropagationData,
        ActivityStopped = activity =>
        {
            // Npgsql also traces the opening of a physical connection ("CONNECT database"): no statement of the function.
            if (s_current.Value is not { } count || activity.OperationName.StartsWith("CONNECT ", StringComparison.Ordinal))
            {
                return;
            }

            lock (count)
            {
                count.Failed |= activity.Status == ActivityStatusCode.Error;
                count.CompletedBeforeFailure += count.Failed ? 0 : 1;
            }
        },
    });

    /// <summary>
    /// Runs <paramref name="attempt"/>, and once more if it failed only because its pooled connection was stale and
    /// <paramref name="readyToRunAgain"/> (which makes the second run possible, say by rewinding a request body) agrees.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, Func<bool> readyToRunAgain)
    {
        var statements = s_current.Value = new StatementCount();
        try
        {
            return await attempt();
        }
        catch (Exception e) when (CanRunAgain(e, statements) && readyToRunAgain())
        {
            return await attempt();
        }
    }

    /// <summary>The server ended the session before the statement ran, and nothing earlier in the invocation reached it.</summary>
    private static bool CanRunAgain(Exception e, StatementCount count)
    {
        lock (count)
        {
            return count.CompletedBeforeFailure == 0
                && e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown };
        }
    }

    private sealed class StatementCount
    {
        public int CompletedBeforeFailure { get; set; }

        public bool Failed { get; set; }
    }
}
