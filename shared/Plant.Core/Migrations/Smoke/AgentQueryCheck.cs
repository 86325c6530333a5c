using System.Globalization;
using Npgsql;
using Plant.Core.Agents;

namespace Plant.Core.Migrations.Smoke;

/// <summary>
/// A representative agent query runs: the Agents app's own list query (<see cref="AgentQueries.ReadFirstPageAsync"/>:
/// current, active agents with what they refer to, cheapest first), as the portals call it.
/// </summary>
internal static class AgentQueryCheck
{
    public const string Name = "agent query";

    public static async Task<SmokeCheckResult> RunAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!await SmokeChecks.CatalogExistsAsync(connection, ct))
        {
            return new SmokeCheckResult(Name, SmokeCheckStatus.Skipped, "no catalog schema at this version");
        }

        try
        {
            var rows = await AgentQueries.ReadFirstPageAsync(connection, 20, SmokeChecks.TimeoutSeconds, ct);

            return new SmokeCheckResult(Name, SmokeCheckStatus.Passed, string.Create(CultureInfo.InvariantCulture, $"current active agents with their subtype: {rows} row(s) (at most 20)"));
        }
        catch (PostgresException e)
        {
            return new SmokeCheckResult(Name, SmokeCheckStatus.Failed, $"{e.SqlState}: {e.MessageText}");
        }
    }
}
