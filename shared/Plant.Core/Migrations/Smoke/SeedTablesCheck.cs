using System.Globalization;
using Dapper;
using Npgsql;

namespace Plant.Core.Migrations.Smoke;

/// <summary>The catalog tables the Genesis baseline seed writes can be read, and how many current entities each type has.</summary>
internal static class SeedTablesCheck
{
    public const string Name = "seed tables readable";

    private static readonly string[] s_tables =
        ["entity", "entity_version", "industry", "skill", "job_role", "job_role_skill", "team", "team_member", "agent", "agent_skill"];

    public static async Task<SmokeCheckResult> RunAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!await SmokeChecks.CatalogExistsAsync(connection, ct))
        {
            return new SmokeCheckResult(Name, SmokeCheckStatus.Skipped, "no catalog schema at this version");
        }

        try
        {
            // One statement reading a row of each table; the names are this file's constants, not input.
            var reads = string.Join(", ", s_tables.Select(t => $"exists (select 1 from catalog.{t})"));
            // Text built at run time, which Dapper.AOT cannot generate a call for: Npgsql runs it.
            await using (var read = new NpgsqlCommand($"select {reads}", connection) { CommandTimeout = SmokeChecks.TimeoutSeconds })
            {
                await read.ExecuteNonQueryAsync(ct);
            }

            var rows = await connection.QueryAsync<TypeCount>(
                "select entity_type, count(*) from catalog.entity_version where is_current group by entity_type order by entity_type",
                new { ct },
                commandTimeout: SmokeChecks.TimeoutSeconds);
            var counts = rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Count} {r.EntityType}")).ToList();

            return new SmokeCheckResult(Name, SmokeCheckStatus.Passed,
                $"{s_tables.Length} tables readable; current entities: {(counts.Count == 0 ? "none" : string.Join(", ", counts))}");
        }
        catch (PostgresException e)
        {
            return new SmokeCheckResult(Name, SmokeCheckStatus.Failed, $"{e.SqlState}: {e.MessageText}");
        }
    }

    /// <summary>How many current entities one type has.</summary>
    internal sealed record TypeCount(string EntityType, long Count);
}
