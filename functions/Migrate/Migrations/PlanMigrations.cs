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
    [JsonRequestBody(typeof(PlanRequest), Required = false)]
    [EndpointSummary("Plan a migration")]
    [EndpointDescription("Master key (or an admin token) only. The plan to the body's optional target (the latest when left out): the migrations, their scripts and the plan's checksum, which an approval names. A rollback plan when the target is below the database's version, with every table it drops and its rows; whether a run needs an approval, and what a scheduled run would do. Changes nothing but the migration log.")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.HistoryRefused, "the migration history fails validation (a changed checksum, a failed or missing version)")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.TargetConflict, "target is below a migration without a down script, or a rollback target was never applied")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, MigrationRoutes.UnknownVersion, "target is not one of this build's migration versions")]
    public async Task<Ok<PlanResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/plan")] HttpRequest request, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var body = await JsonBody.ReadOptionalAsync<PlanRequest>(request, cancellationToken);
        return TypedResults.Ok(MigrationResponses.Plan(await pipeline.PlanAsync(MigrationRoutes.Target(body?.Target, mayRollBack: true), cancellationToken)));
    }
}
