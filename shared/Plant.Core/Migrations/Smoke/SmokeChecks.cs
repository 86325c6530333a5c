using Dapper;
using Npgsql;

namespace Plant.Core.Migrations.Smoke;

/// <summary>
/// The checks a run makes after its scripts, on the connection that holds the migration lock: the objects each
/// applied migration declares exist (up runs), the seed tables are readable, a representative agent query runs.
/// Any failure rolls the run's batch back.
/// </summary>
internal static class SmokeChecks
{
    /// <summary>A smoke check is a quick read; one that takes longer than this counts as failed.</summary>
    public const int TimeoutSeconds = 30;

    /// <param name="connection">The lock's connection, outside any transaction.</param>
    /// <param name="applied">The migrations the run applied (their declared objects are checked); empty for a down run.</param>
    /// <param name="ct">Cancels the checks.</param>
    public static async Task<IReadOnlyList<SmokeCheckResult>> RunAsync(NpgsqlConnection connection, IReadOnlyList<Migration> applied, CancellationToken ct)
    {
        var results = new List<SmokeCheckResult>();
        foreach (var migration in applied)
        {
            results.Add(await DeclaredObjectsCheck.RunAsync(connection, migration, ct));
        }

        results.Add(await SeedTablesCheck.RunAsync(connection, ct));
        results.Add(await AgentQueryCheck.RunAsync(connection, ct));
        return results;
    }

    public static async Task<bool> CatalogExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        return await connection.ExecuteScalarAsync<bool>("select to_regclass('catalog.agent') is not null", new { ct });
    }
}
