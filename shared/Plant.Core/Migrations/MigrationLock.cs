using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Plant.Core.Migrations;

/// <summary>
/// The migration runners' session-level advisory lock. It is held by the connection that runs the migrations,
/// so a runner that dies releases it with its session: there is never a stale lock to clear by hand.
/// </summary>
internal static class MigrationLock
{
    /// <summary>
    /// The single-bigint key "plntmigr". PostgreSQL keeps one-key and two-key advisory locks apart, so it never
    /// meets the host's timer locks, which use the two-key form (0x706C6E74, key).
    /// </summary>
    public const long Key = 0x706C6E74_6D696772;

    /// <summary>Tries the lock until it is free or <paramref name="timeout"/> has passed (once, for a zero timeout).</summary>
    /// <returns>False when another session held it all along.</returns>
    public static async Task<bool> TryAcquireAsync(NpgsqlConnection connection, TimeSpan timeout, TimeSpan pollInterval, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await connection.ExecuteScalarAsync<bool>("select pg_try_advisory_lock(@key)", new { key = Key, ct }))
            {
                return true;
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(pollInterval, ct);
        }
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key = Key, ct });
    }
}
