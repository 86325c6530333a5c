using System.Globalization;
using Npgsql;

namespace Plant.Core.Migrations.Smoke;

/// <summary>
/// A representative agent query runs: the current, active agents joined to their subtype and industry, cheapest
/// first, as the portals list them. The Agents app will provide its own query class; this check should then run
/// that instead of its own SQL.
/// </summary>
internal static class AgentQueryCheck
{
    public const string Name = "agent query";

    private const string Sql = """
        select v.entity_id, v.name, a.availability, a.price_per_hour, i.name as industry
        from catalog.entity_version v
        join catalog.agent a on a.version_id = v.version_id
        left join catalog.entity_version i on i.entity_id = a.industry_id and i.is_current
        where v.is_current and v.entity_type = 'agent' and v.status = 'active'
        order by a.price_per_hour, v.name
        limit 20
        """;

    public static async Task<SmokeCheckResult> RunAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!await SmokeChecks.CatalogExistsAsync(connection, ct))
        {
            return new SmokeCheckResult(Name, SmokeCheckStatus.Skipped, "no catalog schema at this version");
        }

        try
        {
            await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = SmokeChecks.TimeoutSeconds };
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = 0;
            while (await reader.ReadAsync(ct))
            {
                rows++;
            }

            return new SmokeCheckResult(Name, SmokeCheckStatus.Passed, string.Create(CultureInfo.InvariantCulture, $"current active agents with their subtype: {rows} row(s) (at most 20)"));
        }
        catch (PostgresException e)
        {
            return new SmokeCheckResult(Name, SmokeCheckStatus.Failed, $"{e.SqlState}: {e.MessageText}");
        }
    }
}
