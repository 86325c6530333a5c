using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary>
/// <c>GET /api/v1/migrations</c>: current version, pending migrations with checksums, history, approvals, the last runs
/// and the last lines of the migration log (this request's own status line last).
/// </summary>
public sealed class GetMigrations(MigrationPipeline pipeline, NpgsqlDataSource dataSource, TimeProvider time)
{
    private const int Recent = 10;

    [Function(nameof(GetMigrations))]
    [EndpointSummary("Get the migration status")]
    [EndpointDescription("Master key (or an admin token) only. The database's version, the pending migrations with their checksums, the history, the last approvals and runs, and any problem the history has (shown, not refused). Changes nothing.")]
    public async Task<Ok<MigrationStatusResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "v1/migrations")] HttpRequest request, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var overview = await pipeline.StatusAsync(Recent, cancellationToken);
        var log = await MigrationLog.ReadRecentLinesAsync(dataSource, MigrationLog.RecentLineCount, cancellationToken);
        return TypedResults.Ok(MigrationResponses.Status(overview, log, time.GetUtcNow()));
    }
}
