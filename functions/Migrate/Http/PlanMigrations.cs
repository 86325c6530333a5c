using Microsoft.AspNetCore.Http;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary><c>POST /api/v1/migrations/plan</c> with an optional <c>{ "target": 5 }</c>: the plan, its checksum and scripts. Changes nothing but the migration log.</summary>
public sealed class PlanMigrations(MigrationPipeline pipeline)
{
    [Function(nameof(PlanMigrations))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/plan")] HttpRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        MigrationRoute.AnswerAsync(context, async () =>
        {
            var (body, problem) = await OptionalJsonBody.ReadAsync<PlanRequest>(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            if (body?.Target is < 1)
            {
                return MigrationProblems.BadField("target", "must be a version, 1 or more.");
            }

            return Results.Ok(MigrationResponses.Plan(await pipeline.PlanAsync(body?.Target, cancellationToken)));
        });
}

/// <summary>The plan route's body.</summary>
/// <param name="Target">The version to plan to; the latest when left out.</param>
public sealed record PlanRequest(int? Target = null);
