using Microsoft.AspNetCore.Http;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary><c>GET /api/v1/migrations</c>: current version, pending migrations with checksums, history, approvals and the last runs.</summary>
public sealed class GetMigrations(MigrationPipeline pipeline, TimeProvider time)
{
    private const int Recent = 10;

    [Function(nameof(GetMigrations))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "v1/migrations")] HttpRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        MigrationRoute.AnswerAsync(context, async () =>
            Results.Ok(MigrationResponses.Status(await pipeline.StatusAsync(Recent, cancellationToken), time.GetUtcNow())));
}
