using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary>
/// <c>POST /api/v1/migrations/plan</c> with an optional <c>{ "target": 5 }</c>: the plan, its checksum and scripts; a
/// rollback plan when the target is below the database's version, with every table it drops and its rows. Changes
/// nothing but the migration log.
/// </summary>
public sealed class PlanMigrations(MigrationPipeline pipeline)
{
    [Function(nameof(PlanMigrations))]
    public async Task<Ok<PlanResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/plan")] HttpRequest request, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var body = await JsonBody.ReadOptionalAsync<PlanRequest>(request, cancellationToken);
        return TypedResults.Ok(MigrationResponses.Plan(await pipeline.PlanAsync(MigrationRoutes.Target(body?.Target, mayRollBack: true), cancellationToken)));
    }
}
