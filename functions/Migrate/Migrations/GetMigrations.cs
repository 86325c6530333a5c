using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary><c>GET /api/v1/migrations</c>: current version, pending migrations with checksums, history, approvals and the last runs.</summary>
public sealed class GetMigrations(MigrationPipeline pipeline, TimeProvider time)
{
    private const int Recent = 10;

    [Function(nameof(GetMigrations))]
    [EndpointSummary("Get the migration status")]
    [EndpointDescription("Master key (or an admin token) only. The database's version, the pending migrations with their checksums, the history, the last approvals and runs, and any problem the history has (shown, not refused). Changes nothing.")]
    public async Task<Ok<MigrationStatusResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "v1/migrations")] HttpRequest request, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        return TypedResults.Ok(MigrationResponses.Status(await pipeline.StatusAsync(Recent, cancellationToken), time.GetUtcNow()));
    }
}
